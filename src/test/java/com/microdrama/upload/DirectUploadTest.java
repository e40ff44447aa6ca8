package com.microdrama.upload;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.createSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Api;
import com.microdrama.support.Db;
import com.microdrama.support.Media;
import com.microdrama.support.Storage;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DirectUploadTest {

    private static final String UPLOADS = "/api/v1/producer/uploads";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @Inject
    UploadSweeper sweeper;

    private JsonPath start(String series, int number, long size, String sha256) {
        Map<String, Object> body = new HashMap<>(Map.of("seriesId", series, "episodeNumber", number, "size", size,
                "contentType", "video/mp4"));
        if (sha256 != null) {
            body.put("sha256", sha256);
        }
        return as(producer).body(body).post(UPLOADS).then().statusCode(201)
                .header("Location", containsString(UPLOADS + "/"))
                .body("state", equalTo("pending"))
                .body("partUrls", notNullValue())
                .extract().jsonPath();
    }

    /** The client's side: PUT the bytes straight to storage with the presigned URL, never through the API. */
    private static int put(String url, byte[] bytes) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static byte[] part(byte[] file, long partSize, int number) {
        int from = (int) ((number - 1) * partSize);
        return Arrays.copyOfRange(file, from, (int) Math.min(file.length, from + partSize));
    }

    @Test
    void parts_go_straight_to_storage_and_complete_creates_the_version() throws Exception {
        String series = createSeries(producer, seriesBody(unique("direct")));
        Path clip = Media.vertical();
        byte[] bytes = Media.bytes(clip);
        JsonPath upload = start(series, 3, bytes.length, Media.sha256(clip));
        assertThat(upload.getInt("partCount")).isEqualTo(1);
        assertThat(upload.getLong("partSize")).isEqualTo(8L << 20);
        assertThat(put(upload.getString("partUrls[0].url"), bytes)).isEqualTo(200);

        String id = upload.getString("id");
        String versionId = as(producer).post(UPLOADS + "/" + id + "/complete").then().statusCode(200)
                .body("episodeNumber", equalTo(3))
                .body("versionNumber", equalTo(1))
                .body("probe.height", equalTo(320))
                .extract().path("versionId");
        as(producer).get(UPLOADS + "/" + id).then().statusCode(200)
                .body("state", equalTo("completed")).body("versionId", equalTo(versionId))
                .body("partUrls", hasSize(0));
        // A client that lost the answer and completes again gets the same outcome, not a second version.
        as(producer).post(UPLOADS + "/" + id + "/complete").then().statusCode(200)
                .body("versionId", equalTo(versionId));
        assertThat(Db.rows(db, "select 1 from transcode_job where version_id = ?", UUID.fromString(versionId)))
                .hasSize(1);
        var key = Db.row(db, "select source_key from episode_version where id = ?", UUID.fromString(versionId));
        assertThat(Storage.read(storage, (String) key.get("source_key"))).isEqualTo(bytes);
    }

    @Test
    void a_client_resumes_after_a_disconnect_by_listing_the_stored_parts() throws Exception {
        String series = createSeries(producer, seriesBody(unique("resume")));
        Path file = Media.padded("resume.mp4", (8L << 20) + 300_000);
        byte[] bytes = Media.bytes(file);
        JsonPath upload = start(series, 1, bytes.length, null);
        String id = upload.getString("id");
        long partSize = upload.getLong("partSize");
        assertThat(upload.getList("partUrls")).hasSize(2);
        assertThat(put(upload.getString("partUrls[0].url"), part(bytes, partSize, 1))).isEqualTo(200);
        // ... the phone loses its network here; later it asks what is already stored.

        JsonPath state = as(producer).get(UPLOADS + "/" + id).then().statusCode(200)
                .body("storedParts.number", equalTo(List.of(1)))
                .body("missingParts", equalTo(List.of(2)))
                .body("partUrls", hasSize(1))
                .extract().jsonPath();
        as(producer).post(UPLOADS + "/" + id + "/complete").then()
                .statusCode(409).contentType("application/problem+json")
                .body("missingParts", equalTo(List.of(2)));
        assertThat(put(state.getString("partUrls[0].url"), part(bytes, partSize, 2))).isEqualTo(200);
        as(producer).post(UPLOADS + "/" + id + "/complete").then().statusCode(200)
                .body("size", equalTo(bytes.length));
    }

    @Test
    void abort_removes_the_parts_and_the_upload_can_no_longer_complete() throws Exception {
        String series = createSeries(producer, seriesBody(unique("abort")));
        byte[] bytes = Media.bytes(Media.vertical());
        JsonPath upload = start(series, 1, bytes.length, null);
        put(upload.getString("partUrls[0].url"), bytes);
        String id = upload.getString("id");
        as(producer).delete(UPLOADS + "/" + id).then().statusCode(204);
        as(producer).delete(UPLOADS + "/" + id).then().statusCode(204);
        as(producer).get(UPLOADS + "/" + id).then().statusCode(200).body("state", equalTo("aborted"));
        as(producer).post(UPLOADS + "/" + id + "/complete").then().statusCode(409)
                .contentType("application/problem+json");
        assertThat(Storage.pendingMultiparts(storage, "raw/" + series + "/")).isZero();
        assertThat(Storage.keys(storage, "raw/" + series + "/")).isEmpty();
    }

    @Test
    void the_sweep_aborts_uploads_older_than_the_ttl_and_removes_their_parts() throws Exception {
        String series = createSeries(producer, seriesBody(unique("ttl")));
        byte[] bytes = Media.bytes(Media.vertical());
        JsonPath stale = start(series, 1, bytes.length, null);
        put(stale.getString("partUrls[0].url"), bytes);
        JsonPath fresh = start(series, 2, bytes.length, null);
        Api.sql(db, "update upload set expires_at = now() - interval '1 minute' where id = ?",
                UUID.fromString(stale.getString("id")));

        sweeper.sweep(Instant.now());

        as(producer).get(UPLOADS + "/" + stale.getString("id")).then().statusCode(200)
                .body("state", equalTo("aborted")).body("failureReason", containsString("expired"));
        as(producer).get(UPLOADS + "/" + fresh.getString("id")).then().statusCode(200)
                .body("state", equalTo("pending"));
        assertThat(Storage.pendingMultiparts(storage, "raw/" + series + "/1/")).isZero();
        assertThat(Storage.pendingMultiparts(storage, "raw/" + series + "/2/")).isEqualTo(1);
        as(producer).delete(UPLOADS + "/" + fresh.getString("id")).then().statusCode(204);
    }

    @Test
    void a_wrong_size_fails_the_upload_with_its_reason_and_removes_the_parts() throws Exception {
        String series = createSeries(producer, seriesBody(unique("size")));
        byte[] bytes = Media.bytes(Media.vertical());
        JsonPath upload = start(series, 1, bytes.length + 1000, null);
        put(upload.getString("partUrls[0].url"), bytes);
        String id = upload.getString("id");
        String reason = "received " + bytes.length + " bytes but " + (bytes.length + 1000) + " were declared";
        as(producer).post(UPLOADS + "/" + id + "/complete").then()
                .statusCode(422).contentType("application/problem+json")
                .body("detail", containsString(reason)).body("state", equalTo("failed"));
        as(producer).get(UPLOADS + "/" + id).then().body("state", equalTo("failed"))
                .body("failureReason", containsString(reason));
        assertThat(Storage.pendingMultiparts(storage, "raw/" + series + "/")).isZero();
        assertThat(Storage.keys(storage, "raw/" + series + "/")).isEmpty();
    }

    @Test
    void a_wrong_checksum_fails_the_upload_and_removes_the_object() throws Exception {
        String series = createSeries(producer, seriesBody(unique("sha")));
        byte[] bytes = Media.bytes(Media.vertical());
        String declared = "0".repeat(64);
        JsonPath upload = start(series, 1, bytes.length, declared);
        put(upload.getString("partUrls[0].url"), bytes);
        as(producer).post(UPLOADS + "/" + upload.getString("id") + "/complete").then()
                .statusCode(422).body("detail", containsString("not the declared " + declared));
        assertThat(Storage.keys(storage, "raw/" + series + "/")).isEmpty();
    }

    @Test
    void requests_are_validated_and_confined_to_the_producers_own_series() {
        String series = createSeries(producer, seriesBody(unique("val")));
        as(producer).body(Map.of("seriesId", series, "episodeNumber", 0, "size", 0, "contentType", "nope",
                "sha256", "xyz")).post(UPLOADS).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("episodeNumber")).body("errors.field", hasItem("size"))
                .body("errors.field", hasItem("contentType")).body("errors.field", hasItem("sha256"));
        as(producer).body(Map.of("seriesId", series, "episodeNumber", 1, "size", 5L << 30, "contentType",
                "video/mp4")).post(UPLOADS).then().statusCode(413).contentType("application/problem+json");
        String other = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        as(other).body(Map.of("seriesId", series, "episodeNumber", 1, "size", 10, "contentType", "video/mp4"))
                .post(UPLOADS).then().statusCode(403);
        String id = start(series, 1, 10, null).getString("id");
        as(other).get(UPLOADS + "/" + id).then().statusCode(403);
        as(other).post(UPLOADS + "/" + id + "/complete").then().statusCode(403);
        as(other).delete(UPLOADS + "/" + id).then().statusCode(403);
        as(producer).get(UPLOADS + "/" + UUID.randomUUID()).then().statusCode(404);
        as(producer).delete(UPLOADS + "/" + id).then().statusCode(204);
    }
}
