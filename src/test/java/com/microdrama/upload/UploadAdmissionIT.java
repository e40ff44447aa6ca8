package com.microdrama.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.support.AppProcess;
import com.microdrama.support.Media;
import com.microdrama.support.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many producers stream 40 MB sources at once into one API process with a 192 MiB heap, as the outside
 * test did (then: 15 of 30 answered 500 with OutOfMemoryError and 14 multipart uploads stayed pending). Now every
 * upload is either stored (201) or refused before its body is read (503 process full, 429 producer full, both with
 * Retry-After); nothing answers 500, the log has no OutOfMemoryError, no multipart upload is left pending, and a
 * refused producer that retries gets in.
 */
class UploadAdmissionIT {

    private static final long SOURCE_SIZE = 40L << 20;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static final List<String> SERIES = new ArrayList<>();
    private static AppProcess api;
    private static Path source;

    @BeforeAll
    static void start() throws Exception {
        source = Media.padded("admission-40mb.mp4", SOURCE_SIZE);
        // The later -Xmx wins: the heap of the outside test.
        api = AppProcess.start("upload-admission", Path.of("target/upload-admission-it"), Map.of("APP_ROLE", "api"),
                List.of("-Xmx192m"));
        api.awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void thirty_at_once_from_ten_producers_are_stored_or_refused_never_failed() throws Exception {
        Map<Integer, Integer> statuses = burst("thirty", 10, 3);
        assertThat(statuses.keySet()).isSubsetOf(201, 503, 429);
        assertThat(statuses.get(201)).as("uploads stored").isGreaterThanOrEqualTo(1);
        assertThat(statuses.get(503)).as("refused because the process was full").isGreaterThanOrEqualTo(1);
        assertNothingLeft();
    }

    @Test
    void a_hundred_at_once_are_stored_or_refused_never_failed() throws Exception {
        Map<Integer, Integer> statuses = burst("hundred", 25, 4);
        assertThat(statuses.keySet()).isSubsetOf(201, 503, 429);
        assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertNothingLeft();
    }

    @Test
    void a_producer_gets_its_share_and_no_more_and_gets_in_again_after_waiting() throws Exception {
        Map<Integer, Integer> statuses = burst("one", 1, 6);
        assertThat(statuses.keySet()).isSubsetOf(201, 429);
        assertThat(statuses.get(429)).as("refused because the producer was at its limit").isGreaterThanOrEqualTo(1);
        assertThat(statuses.getOrDefault(201, 0)).isBetween(1, 3);
        assertNothingLeft();

        String series = series("admission-one-0", "retry");
        Answer retried = upload("admission-one-0", series, 1);
        assertThat(retried.status()).as(retried.body()).isEqualTo(201);
    }

    /** {@code producers} producers, each sending {@code each} uploads, all started at once. */
    private Map<Integer, Integer> burst(String name, int producers, int each) throws Exception {
        List<Callable<Answer>> uploads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            String producer = "admission-" + name + "-" + p;
            String series = series(producer, name + "-" + p);
            for (int e = 1; e <= each; e++) {
                int episode = e;
                uploads.add(() -> upload(producer, series, episode));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(uploads.size());
        Map<Integer, Integer> statuses = new TreeMap<>();
        try {
            for (Future<Answer> done : pool.invokeAll(uploads)) {
                Answer answer = done.get();
                if (answer.status() == 503 || answer.status() == 429) {
                    assertThat(answer.headers()).as("a refusal says when to retry, as problem+json")
                            .containsIgnoringCase("Retry-After: 5").containsIgnoringCase("application/problem+json");
                }
                statuses.merge(answer.status(), 1, Integer::sum);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("UploadAdmissionIT " + name + ": " + statuses);
        return statuses;
    }

    private record Answer(int status, String headers, String body) {
    }

    /**
     * Streams the source as a raw body with curl -T, as the outside test did: curl announces a large body with
     * Expect: 100-continue, so a refusal arrives before the body is sent.
     */
    private static Answer upload(String producer, String series, int episode) throws Exception {
        Path headers = Files.createTempFile("admission", ".headers");
        Path body = Files.createTempFile("admission", ".body");
        try {
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "180", "-o", body.toString(),
                    "-D", headers.toString(), "-w", "%{http_code}", "-X", "POST", "-T", source.toString(),
                    "-H", "Authorization: Bearer " + Tokens.of("producer", producer),
                    "-H", "Content-Type: video/mp4",
                    api.url("/api/v1/producer/series/" + series + "/episodes/" + episode + "/source"))
                    .redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes()).trim();
            assertThat(curl.waitFor()).as("curl: " + out).isZero();
            return new Answer(Integer.parseInt(out), Files.readString(headers), Files.readString(body));
        } finally {
            Files.deleteIfExists(headers);
            Files.deleteIfExists(body);
        }
    }

    private static String series(String producer, String slug) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.url("/api/v1/producer/series")))
                .header("Authorization", "Bearer " + Tokens.of("producer", producer))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"slug":"admission-%s-%d","title":"Admission","language":"en","genres":["drama"],
                         "freeEpisodeCount":1,"coinPrice":10}""".formatted(slug, System.nanoTime()))).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String id = response.body().replaceFirst("(?s).*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
        SERIES.add(id);
        return id;
    }

    private static void assertNothingLeft() throws Exception {
        for (String series : SERIES) {
            assertThat(AppProcess.pendingMultiparts("raw/" + series + "/")).as("multipart uploads left pending").isZero();
        }
        assertThat(Files.readString(api.log())).doesNotContain("OutOfMemoryError").doesNotContain("Internal error");
    }
}
