package com.microdrama.faults;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.createSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Db;
import com.microdrama.support.FaultProxies;
import com.microdrama.support.Media;
import com.microdrama.support.Storage;
import com.microdrama.support.Tokens;
import com.microdrama.support.UploadingProducers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Object storage cut while a producer uploads, streamed or direct (a direct upload's completion at each step: before
 * it, as the parts are assembled, as the object is read back): a clear 503 problem+json that says to retry, no
 * version for viewers to see, and the same upload succeeds once storage is back, as exactly one version. What a refused or aborted upload
 * had stored, and which the cut kept from being removed, is gone within seconds of the heal, without the sweep.
 * (A cut while a transcode uploads its outputs: StorageFaultTest.)
 */
@QuarkusTest
@TestProfile(FaultProxies.NoWorkers.class)
@WithTestResource(FaultProxies.StorageResource.class)
class StorageCutTest {

    /** Clean-ups the cut refused are retried every 2 s (upload.discard-retry-every) once storage answers. */
    private static final Duration LEFT_BEHIND_WITHIN = Duration.ofSeconds(6);

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @TestHTTPResource("/")
    URI base;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));

    @AfterEach
    void heal() {
        FaultProxies.storage.restore();
    }

    @Test
    void a_streamed_upload_while_storage_is_cut_gets_a_503_and_succeeds_after_the_heal() {
        String series = createSeries(producer, seriesBody(unique("s3cut")));
        byte[] clip = Media.bytes(Media.vertical());
        String path = "/api/v1/producer/series/" + series + "/episodes/1/source";

        FaultProxies.storage.cut();
        as(producer).contentType("video/mp4").body(clip).post(path).then().statusCode(503)
                .contentType(startsWith("application/problem+json")).header("Retry-After", "2")
                .body("title", equalTo("Service unavailable"));
        assertThat(Db.rows(db, """
                select v.id from episode_version v join episode e on e.id = v.episode_id where e.series_id = ?
                """, UUID.fromString(series))).as("no version from the refused upload").isEmpty();
        FaultProxies.storage.restore();

        as(producer).contentType("video/mp4").body(clip).post(path).then().statusCode(201)
                .body("versionNumber", equalTo(1));
    }

    @Test
    void a_direct_upload_completed_while_storage_is_cut_gets_a_503_and_completes_after_the_heal() throws Exception {
        String series = createSeries(producer, seriesBody(unique("s3cut-direct")));
        String id = startDirectUpload(series, Media.bytes(Media.vertical()));
        String complete = "/api/v1/producer/uploads/" + id + "/complete";

        FaultProxies.storage.cut();
        as(producer).post(complete).then().statusCode(503)
                .contentType(startsWith("application/problem+json")).header("Retry-After", "2");
        FaultProxies.storage.restore();

        as(producer).get("/api/v1/producer/uploads/" + id).then().statusCode(200)
                .body("state", equalTo("pending"));
        as(producer).post(complete).then().statusCode(200).body("versionNumber", equalTo(1));
        assertCompletedOnce(UUID.fromString(series), id);
    }

    @Test
    void a_direct_upload_whose_storage_goes_as_its_parts_are_assembled_gets_a_503_and_completes_after_the_heal()
            throws Exception {
        // Storage assembles the object, but its answer is lost: the completion cannot know it was done.
        completedThroughACut(object -> "POST " + object + "?uploadId=", 0);
    }

    @Test
    void a_direct_upload_whose_storage_goes_once_its_parts_are_assembled_gets_a_503_and_completes_after_the_heal()
            throws Exception {
        completedThroughACut(object -> "GET " + object + " HTTP", 0);
    }

    @Test
    void a_direct_upload_cut_off_while_its_object_is_read_back_gets_a_503_and_completes_after_the_heal()
            throws Exception {
        completedThroughACut(object -> "GET " + object + " HTTP", 4096);
    }

    /**
     * Storage goes as the completion sends {@code request} (given the object's path), after {@code answerBytes} of
     * its answer: from the assembly of the parts into the object (the multipart upload is gone after it) to the
     * read back for the probe.
     */
    private void completedThroughACut(Function<String, String> request, long answerBytes) throws Exception {
        UUID series = UUID.fromString(createSeries(producer, seriesBody(unique("s3cut-readback"))));
        Path file = Media.vertical();
        byte[] clip = Media.bytes(file);
        assertThat(clip.length).as("the clip outlasts the bytes let through").isGreaterThan((int) answerBytes + 4096);
        UUID id = UUID.fromString(startDirectUpload(series.toString(), clip));
        String complete = "/api/v1/producer/uploads/" + id + "/complete";
        String key = (String) Db.row(db, "select object_key from upload where id = ?", id).get("object_key");

        FaultProxies.storage.cutDuring(request.apply("/" + storage.bucket() + "/" + key), answerBytes);
        as(producer).post(complete).then().statusCode(503)
                .contentType(startsWith("application/problem+json")).header("Retry-After", "2")
                .body("uploadId", equalTo(id.toString()));
        assertThat(Db.row(db, "select state from upload where id = ?", id)).as("retryable")
                .containsEntry("state", "pending");
        assertThat(Db.rows(db, """
                select v.id from episode_version v join episode e on e.id = v.episode_id where e.series_id = ?
                """, series)).as("no version while the source could not be read").isEmpty();
        FaultProxies.storage.restore();

        as(producer).get("/api/v1/producer/uploads/" + id).then().statusCode(200)
                .body("state", equalTo("pending")).body("missingParts", empty());
        as(producer).post(complete).then().statusCode(200).body("versionNumber", equalTo(1))
                .body("size", equalTo(clip.length)).body("sha256", equalTo(Media.sha256(file)));
        assertCompletedOnce(series, id.toString());
    }

    @Test
    void a_completion_held_up_by_silent_storage_keeps_a_second_one_out_and_one_version_comes_of_them() throws Exception {
        UUID series = UUID.fromString(createSeries(producer, seriesBody(unique("s3silent-direct"))));
        UUID id = UUID.fromString(startDirectUpload(series.toString(), Media.bytes(Media.vertical())));
        String complete = "/api/v1/producer/uploads/" + id + "/complete";

        FaultProxies.storage.blackhole();
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(
                () -> as(producer).post(complete).then().extract().statusCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"completing".equals(Db.row(db, "select state from upload where id = ?", id).get("state"))) {
            assertThat(System.nanoTime()).as("the first completion under way").isLessThan(deadline);
            Thread.sleep(50);
        }
        as(producer).post(complete).then().statusCode(409).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("already being completed"));
        FaultProxies.storage.restore();

        // The held connection is dropped at the heal: the first completion retries it, or answers 503 to retry.
        assertThat(first.get()).as("the first completion").isIn(200, 503);
        as(producer).post(complete).then().statusCode(200).body("versionNumber", equalTo(1));
        assertCompletedOnce(series, id.toString());
    }

    /** The upload became one version, the only one of its series, and storage holds nothing else of it. */
    private void assertCompletedOnce(UUID series, String id) {
        List<Map<String, Object>> versions = Db.rows(db, """
                select v.id from episode_version v join episode e on e.id = v.episode_id where e.series_id = ?
                """, series);
        assertThat(versions).as("versions of the series").hasSize(1);
        assertThat(Db.row(db, "select state, version_id, discard_pending from upload where id = ?", UUID.fromString(id)))
                .containsEntry("state", "completed").containsEntry("version_id", versions.get(0).get("id"))
                .containsEntry("discard_pending", false);
        assertThat(UploadingProducers.leftBehind(db, storage, series)).as("left in storage").isEmpty();
    }

    @Test
    void a_streamed_upload_cut_off_mid_file_gets_a_503_and_its_multipart_upload_is_aborted_after_the_heal()
            throws Exception {
        UUID series = UUID.fromString(createSeries(producer, seriesBody(unique("s3cut-midfile"))));
        String response;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/producer/series/" + series + "/episodes/1/source HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: " + Tokens.bearer(producer) + "\r\nContent-Type: video/mp4\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The multipart upload is started before the first byte is read: the server now waits for a full part.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (Storage.pendingMultiparts(storage, "raw/" + series + "/") == 0) {
                assertThat(System.nanoTime()).as("multipart upload started").isLessThan(deadline);
                Thread.sleep(50);
            }

            FaultProxies.storage.cut();
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(response).startsWith("HTTP/1.1 503").containsIgnoringCase("application/problem+json")
                .containsIgnoringCase("Retry-After: 2");
        // Storage refuses the abort too: remembered on the row, and kept while storage stays away.
        Thread.sleep(2_500);
        assertThat(Db.row(db, "select state, discard_pending from upload where series_id = ?", series))
                .containsEntry("state", "failed").containsEntry("discard_pending", true);
        long healedAt = System.nanoTime();
        FaultProxies.storage.restore();

        Duration took = UploadingProducers.awaitNothingLeftBehind(db, storage, List.of(series), healedAt,
                LEFT_BEHIND_WITHIN);
        System.out.printf("StorageCutTest: the refused streamed upload's multipart upload aborted %d ms after the heal%n",
                took.toMillis());
        assertThat(Db.row(db, "select discard_pending from upload where series_id = ?", series))
                .containsEntry("discard_pending", false);
    }

    @Test
    void uploads_whose_storage_goes_as_their_multipart_upload_is_created_leave_nothing_behind_after_the_heal()
            throws Exception {
        // Storage creates the multipart upload but its answer is lost: the app never learns the upload's id.
        byte[] clip = Media.bytes(Media.vertical());
        UUID streamed = UUID.fromString(createSeries(producer, seriesBody(unique("s3cut-create"))));
        FaultProxies.storage.cutDuring("POST /" + storage.bucket() + "/raw/" + streamed + "/", 0);
        as(producer).contentType("video/mp4").body(clip).post("/api/v1/producer/series/" + streamed
                + "/episodes/1/source").then().statusCode(503).contentType(startsWith("application/problem+json"));
        FaultProxies.storage.restore();

        UUID direct = UUID.fromString(createSeries(producer, seriesBody(unique("s3cut-create-direct"))));
        FaultProxies.storage.cutDuring("POST /" + storage.bucket() + "/raw/" + direct + "/", 0);
        as(producer).body(Map.of("seriesId", direct.toString(), "episodeNumber", 1, "size", clip.length,
                "contentType", "video/mp4")).post("/api/v1/producer/uploads").then().statusCode(503)
                .contentType(startsWith("application/problem+json"));
        long healedAt = System.nanoTime();
        FaultProxies.storage.restore();

        Duration took = UploadingProducers.awaitNothingLeftBehind(db, storage, List.of(streamed, direct), healedAt,
                LEFT_BEHIND_WITHIN);
        System.out.printf("StorageCutTest: multipart uploads whose creation was cut off aborted %d ms after the heal%n",
                took.toMillis());
        assertThat(Db.rows(db, "select state from upload where series_id in (?, ?)", streamed, direct))
                .as("the refused uploads, closed").extracting(r -> r.get("state")).containsOnly("failed");
    }

    @Test
    void a_direct_upload_aborted_while_storage_is_cut_has_its_parts_removed_after_the_heal() throws Exception {
        UUID series = UUID.fromString(createSeries(producer, seriesBody(unique("s3cut-abort"))));
        String id = startDirectUpload(series.toString(), Media.bytes(Media.vertical()));

        FaultProxies.storage.cut();
        as(producer).delete("/api/v1/producer/uploads/" + id).then().statusCode(204);
        assertThat(Db.row(db, "select state, discard_pending from upload where id = ?", UUID.fromString(id)))
                .containsEntry("state", "aborted").containsEntry("discard_pending", true);
        long healedAt = System.nanoTime();
        FaultProxies.storage.restore();

        Duration took = UploadingProducers.awaitNothingLeftBehind(db, storage, List.of(series), healedAt,
                LEFT_BEHIND_WITHIN);
        System.out.printf("StorageCutTest: the aborted direct upload's parts removed %d ms after the heal%n",
                took.toMillis());
    }

    @Test
    void producers_uploading_through_a_storage_cut_leave_nothing_pending_after_the_heal_without_the_sweep()
            throws Exception {
        UploadingProducers uploads = new UploadingProducers(db, storage, 2, true).start();
        long healedAt;
        try {
            Thread.sleep(500);
            FaultProxies.storage.cut();
            Thread.sleep(3_000);
            healedAt = System.nanoTime();
            FaultProxies.storage.restore();
        } finally {
            uploads.stop();
        }
        System.out.printf("StorageCutTest: uploads %s, %d acknowledged, %d refused%n", uploads.statuses(),
                uploads.acknowledged(), uploads.refused());
        assertThat(uploads.wrong()).as("wrong answers to uploads").isEmpty();
        assertThat(uploads.statuses().keySet()).as("upload statuses").isSubsetOf("201", "503").contains("503");

        Duration took = uploads.awaitNothingLeftBehind(healedAt, LEFT_BEHIND_WITHIN);
        System.out.printf("StorageCutTest: nothing left behind %d ms after the heal%n", took.toMillis());
        uploads.retryRefused();
        assertThat(uploads.assertWhole(() -> {
            // no sweep: nothing may be left for it
        })).as("lost uploads").isZero();
    }

    /** A direct upload with its one part stored; returns its id. */
    private String startDirectUpload(String series, byte[] bytes) throws Exception {
        JsonPath upload = as(producer).body(Map.of("seriesId", series, "episodeNumber", 1, "size", bytes.length,
                "contentType", "video/mp4")).post("/api/v1/producer/uploads").then().statusCode(201)
                .extract().jsonPath();
        HttpResponse<Void> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(upload.getString("partUrls[0].url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(put.statusCode()).isEqualTo(200);
        return upload.getString("id");
    }
}
