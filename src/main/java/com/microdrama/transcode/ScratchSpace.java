package com.microdrama.transcode;

import com.microdrama.core.media.MediaBinaries;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The workers' scratch root: one directory per attempt, marked with the process that owns it. Nothing here may
 * outlive a worker that dies without warning (SIGKILL, OOM kill, power cut of a JVM): ffmpeg runs behind
 * {@code setpriv --pdeathsig KILL}, so the kernel kills it when the JVM that started it dies, and every worker
 * sweeps the root at start and periodically, killing what still runs in a dead owner's directory and deleting it.
 */
@ApplicationScoped
public class ScratchSpace {

    static final String OWNER_FILE = ".owner";
    /** A directory without an owner file is either being created or left by a much older version. */
    private static final Duration UNOWNED_GRACE = Duration.ofMinutes(10);
    /**
     * An owner in another PID namespace or on another boot (workers sharing one scratch volume) cannot be looked up
     * by pid: its directory is taken as abandoned only when nothing in it has changed for this long, far longer
     * than an encode writes nothing.
     */
    static final Duration FOREIGN_QUIET = Duration.ofMinutes(30);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TranscodeConfig config;
    private final MediaBinaries binaries;
    /** Where pids mean what they say: this boot and this PID namespace. */
    static final String PID_SPACE = pidSpace();
    private static final String SELF = ownerOf(ProcessHandle.current());
    private Path ffmpegDir;

    ScratchSpace(TranscodeConfig config, MediaBinaries binaries) {
        this.config = config;
        this.binaries = binaries;
    }

    /** A fresh directory for one attempt of a job, marked as this process's. */
    public Path create(ClaimedJob job) throws IOException {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        // The suffix keeps a handed-back attempt (same number, next claim) from sharing a directory with its successor.
        Path dir = config.workDir().resolve(job.id() + "-" + job.attempt() + "-" + HexFormat.of().formatHex(suffix));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(OWNER_FILE), SELF);
        return dir;
    }

    /**
     * Where Jaffree finds "ffmpeg": a wrapper that execs the real binary under {@code setpriv --pdeathsig KILL}
     * when that works here (Linux with util-linux), else the real binary's directory, the sweep then being the only
     * guard. Worked out once.
     */
    public synchronized Path ffmpegDir() {
        if (ffmpegDir == null) {
            Path real = binaries.ffmpeg().orElseThrow(() -> new IllegalStateException("ffmpeg not found"));
            ffmpegDir = deathSignalWrapper(real).orElse(real.getParent());
        }
        return ffmpegDir;
    }

    private Optional<Path> deathSignalWrapper(Path ffmpeg) {
        Optional<Path> setpriv = Stream.of("/usr/bin/setpriv", "/bin/setpriv").map(Path::of).filter(Files::isExecutable)
                .findFirst();
        if (setpriv.isEmpty()) {
            Log.warn("setpriv not found: an ffmpeg whose worker is killed runs until a sweep finds it");
            return Optional.empty();
        }
        try {
            Path dir = config.workDir().resolve(".bin");
            Files.createDirectories(dir);
            Path wrapper = dir.resolve("ffmpeg");
            Path tmp = Files.createTempFile(dir, "ffmpeg", ".tmp");
            Files.writeString(tmp, "#!/bin/sh\n# Written by the transcode worker: the kernel kills ffmpeg when its JVM dies.\n"
                    + "exec '" + setpriv.get() + "' --pdeathsig KILL -- '" + ffmpeg + "' \"$@\"\n");
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            // Several workers on one host share the root: each replaces the wrapper whole, never half-written.
            Files.move(tmp, wrapper, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Process check = new ProcessBuilder(wrapper.toString(), "-version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (check.waitFor(20, TimeUnit.SECONDS) && check.exitValue() == 0) {
                Log.infof("ffmpeg runs under setpriv --pdeathsig KILL (%s)", wrapper);
                return Optional.of(dir);
            }
            check.destroyForcibly();
            Log.warnf("ffmpeg does not run under setpriv here; an ffmpeg whose worker is killed runs until a sweep finds it");
        } catch (IOException | UnsupportedOperationException e) {
            Log.warnf("No death-signal wrapper for ffmpeg (%s); relying on the sweep", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    /** Kills what still runs in the directories of attempts whose process is gone, and deletes them; how many. */
    public int sweep() {
        return sweep(config.workDir());
    }

    static int sweep(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> dirs;
        try (Stream<Path> list = Files.list(root)) {
            dirs = list.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).toList();
        } catch (IOException e) {
            Log.warnf("Could not list %s: %s", root, e.getMessage());
            return 0;
        }
        int swept = 0;
        for (Path dir : dirs) {
            if (orphaned(dir)) {
                long killed = killProcessesIn(dir);
                JobRunner.deleteRecursively(dir);
                Log.warnf("Swept %s, left by a worker that is gone (%d process(es) killed)", dir.getFileName(), killed);
                swept++;
            }
        }
        return swept;
    }

    private static boolean orphaned(Path dir) {
        try {
            Path ownerFile = dir.resolve(OWNER_FILE);
            if (!Files.exists(ownerFile)) {
                return Files.getLastModifiedTime(dir).toInstant().isBefore(Instant.now().minus(UNOWNED_GRACE));
            }
            String owner = Files.readString(ownerFile).trim();
            if (owner.equals(SELF)) {
                return false;
            }
            if (!inThisPidSpace(owner)) {
                return lastChange(dir).isBefore(Instant.now().minus(FOREIGN_QUIET));
            }
            return !alive(owner);
        } catch (IOException | UncheckedIOException e) {
            return false; // removed meanwhile, or not ours to read
        }
    }

    /** "pid start-millis pid-space": the start time tells a live owner from a new process that got its pid. */
    static String ownerOf(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(i -> String.valueOf(i.toEpochMilli())).orElse("?")
                + " " + PID_SPACE;
    }

    /** Markers written before the pid space was recorded have two fields; they came from single-host workers. */
    static boolean inThisPidSpace(String owner) {
        String[] parts = owner.split(" ");
        return parts.length < 3 || parts[2].equals(PID_SPACE);
    }

    static boolean alive(String owner) {
        String[] parts = owner.split(" ");
        try {
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(parts[0]));
            return process.isPresent() && (parts.length < 2 || "?".equals(parts[1])
                    || ownerOf(process.get()).startsWith(parts[0] + " " + parts[1] + " "));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Instant lastChange(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(f -> {
                try {
                    return Files.getLastModifiedTime(f).toInstant();
                } catch (IOException e) {
                    return Instant.now(); // vanished while we looked: something is working here
                }
            }).max(Instant::compareTo).orElse(Instant.now());
        }
    }

    /** The kernel's boot id and this process's PID namespace; "?" parts where /proc does not tell (not Linux). */
    private static String pidSpace() {
        String boot;
        String namespace;
        try {
            boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException e) {
            boot = "?";
        }
        try {
            namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replaceAll("\\D", "");
        } catch (IOException | UnsupportedOperationException e) {
            namespace = "?";
        }
        return boot + "/" + namespace;
    }

    private static long killProcessesIn(Path dir) {
        String marker = dir.toAbsolutePath() + "/";
        List<ProcessHandle> found = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(cmd -> cmd.contains(marker)).orElse(false))
                .toList();
        for (ProcessHandle p : found) {
            p.destroyForcibly();
            try {
                p.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                Log.warnf("Process %d in %s did not exit after SIGKILL", p.pid(), dir);
            }
        }
        return found.size();
    }
}
