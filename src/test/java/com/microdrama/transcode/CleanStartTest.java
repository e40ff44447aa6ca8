package com.microdrama.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Media;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The first segment of every rung starts its audio and its video at the same instant, so a player has no gap to
 * skip before the first frame (hls.js reported bufferSeekOverHole at every start when the AAC priming put the audio
 * 21 ms ahead of the video). Read with ffprobe from the decrypted segments the worker uploaded.
 */
@QuarkusTest
class CleanStartTest {

    private static final Pattern IV = Pattern.compile("IV=0x([0-9a-fA-F]{32})");
    private static final Pattern FIRST_SEGMENT = Pattern.compile("(?m)^#EXTINF:[0-9.]+,\\s*\\n(\\S+)$");
    /** One 90 kHz tick of MPEG-TS, rounded up: closer than this is the same instant. */
    private static final double SAME_INSTANT = 0.0001;

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;

    @Test
    void the_first_segment_starts_audio_and_video_together_in_every_rung() throws Exception {
        TranscodeFixtures fixtures = new TranscodeFixtures(db, storage);
        Path tmp = Media.tempDir();
        var queued = fixtures.queue(Media.clip(tmp, "start.mp4", 540, 960, 4, true));
        assertThat(fixtures.awaitJob(queued.jobId(), Duration.ofSeconds(90)).get("state")).isEqualTo("succeeded");
        Map<String, Object> version = fixtures.row("select hls_prefix, encryption_key from episode_version where id = ?",
                queued.versionId());
        String prefix = (String) version.get("hls_prefix");
        byte[] key = (byte[]) version.get("encryption_key");

        for (String rung : List.of("540p", "360p")) {
            Path playlist = tmp.resolve(rung + ".m3u8");
            storage.download(prefix + rung + "/index.m3u8", playlist);
            String media = Files.readString(playlist);
            Matcher first = FIRST_SEGMENT.matcher(media);
            Matcher iv = IV.matcher(media);
            assertThat(first.find()).as("%s lists a segment:%n%s", rung, media).isTrue();
            assertThat(iv.find()).as("%s states its IV", rung).isTrue();
            Path encrypted = tmp.resolve(rung + "-first.ts.enc");
            storage.download(prefix + rung + "/" + first.group(1), encrypted);
            Path segment = tmp.resolve(rung + "-first.ts");
            Files.write(segment, decrypt(Files.readAllBytes(encrypted), key, HexFormat.of().parseHex(iv.group(1))));

            Map<String, Double> starts = startTimes(segment);
            assertThat(starts).as("%s first segment's streams", rung).containsOnlyKeys("video", "audio");
            assertThat(starts.get("audio")).as("%s: audio starts with the video (%s)", rung, starts)
                    .isCloseTo(starts.get("video"), within(SAME_INSTANT));
        }
    }

    private static byte[] decrypt(byte[] segment, byte[] key, byte[] iv) throws Exception {
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return aes.doFinal(segment);
    }

    /** Each stream's start time in seconds, as ffprobe reads it from the container. */
    private static Map<String, Double> startTimes(Path segment) throws IOException, InterruptedException {
        Process ffprobe = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,start_time",
                "-of", "csv=p=0", segment.toString()).redirectErrorStream(true).start();
        String out = new String(ffprobe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ffprobe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ffprobe.exitValue()).as("ffprobe: %s", out).isZero();
        Map<String, Double> starts = new HashMap<>();
        for (String line : out.strip().split("\n")) {
            String[] fields = line.strip().split(",");
            if (fields.length == 2) { // MPEG-TS also lists its program, as an empty line and the streams again
                starts.put(fields[0], Double.parseDouble(fields[1]));
            }
        }
        return starts;
    }
}
