package com.microdrama.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sweep, without the app: a dead owner's directory goes, with the process still running in it; a live owner's
 * and this process's own stay; an owner in another PID namespace (workers sharing one volume) is judged by how long
 * its directory has been quiet.
 */
class ScratchSweepTest {

    @Test
    void kills_what_runs_in_a_dead_owners_directory_and_deletes_it_but_leaves_live_owners_alone() throws Exception {
        Path root = Files.createTempDirectory("scratch-sweep");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        Process liveOwner = new ProcessBuilder("sleep", "60").start();
        Process orphan = null;
        try {
            Path dead = owned(root.resolve("job-1-dead"), ScratchSpace.ownerOf(gone.toHandle()));
            Path live = owned(root.resolve("job-2-live"), ScratchSpace.ownerOf(liveOwner.toHandle()));
            Path mine = owned(root.resolve("job-3-mine"), ScratchSpace.ownerOf(ProcessHandle.current()));
            Path reused = owned(root.resolve("job-4-reused"), liveOwner.pid() + " 1"); // the pid, another start time
            Files.createDirectories(root.resolve(".bin"));
            // Stands for the ffmpeg a killed worker left running: its command line names a file in the directory.
            Files.writeString(dead.resolve("source"), "");
            orphan = new ProcessBuilder("tail", "-f", dead.resolve("source").toString()).start();

            assertThat(ScratchSpace.sweep(root)).isEqualTo(2);

            assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).as("the orphan was killed").isTrue();
            assertThat(dead).doesNotExist();
            assertThat(reused).as("a new process with the dead owner's pid is not the owner").doesNotExist();
            assertThat(live).exists();
            assertThat(mine).exists();
            assertThat(root.resolve(".bin")).exists();
            assertThat(liveOwner.isAlive()).isTrue();
        } finally {
            liveOwner.destroyForcibly();
            if (orphan != null) {
                orphan.destroyForcibly();
            }
            JobRunner.deleteRecursively(root);
        }
    }

    @Test
    void an_owner_in_another_pid_space_is_judged_by_how_long_its_directory_has_been_quiet() throws Exception {
        Path root = Files.createTempDirectory("scratch-sweep");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        try {
            // The pid is dead here, but in another worker's PID namespace it may be that worker, busy encoding.
            String foreign = gone.pid() + " 1 another-boot/4026531836";
            Path busy = owned(root.resolve("job-5-busy"), foreign);
            Files.writeString(busy.resolve("segment_0.ts"), "");
            Path quiet = owned(root.resolve("job-6-quiet"), foreign);
            Files.writeString(quiet.resolve("segment_0.ts"), "");
            FileTime longAgo = FileTime.from(Instant.now().minus(ScratchSpace.FOREIGN_QUIET).minusSeconds(60));
            try (Stream<Path> files = Files.walk(quiet)) {
                for (Path f : files.toList()) {
                    Files.setLastModifiedTime(f, longAgo);
                }
            }

            assertThat(ScratchSpace.sweep(root)).isEqualTo(1);

            assertThat(busy).as("a foreign owner's directory written to lately stays").exists();
            assertThat(quiet).as("a foreign owner's directory quiet for longer than an encode goes").doesNotExist();
            assertThat(ScratchSpace.ownerOf(ProcessHandle.current())).endsWith(" " + ScratchSpace.PID_SPACE);
        } finally {
            JobRunner.deleteRecursively(root);
        }
    }

    private static Path owned(Path dir, String owner) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ScratchSpace.OWNER_FILE), owner);
        return dir;
    }
}
