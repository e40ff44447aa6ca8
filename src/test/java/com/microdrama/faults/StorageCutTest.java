package com.microdrama.faults;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.createSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Db;
import com.microdrama.support.Media;
import com.microdrama.support.FaultProxies;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Object storage cut while a producer uploads, streamed or direct: a clear 503 problem+json that says to retry,
 * no version for viewers to see, and the same upload succeeds once storage is back. (A cut while a transcode
 * uploads its outputs: StorageFaultTest.)
 */
@QuarkusTest
@TestProfile(FaultProxies.NoWorkers.class)
@WithTestResource(FaultProxies.StorageResource.class)
class StorageCutTest {

    @Inject
    AgroalDataSource db;

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
        Path clip = Media.vertical();
        byte[] bytes = Media.bytes(clip);
        JsonPath upload = as(producer).body(Map.of("seriesId", series, "episodeNumber", 1, "size", bytes.length,
                "contentType", "video/mp4")).post("/api/v1/producer/uploads").then().statusCode(201)
                .extract().jsonPath();
        HttpResponse<Void> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(upload.getString("partUrls[0].url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(put.statusCode()).isEqualTo(200);
        String complete = "/api/v1/producer/uploads/" + upload.getString("id") + "/complete";

        FaultProxies.storage.cut();
        as(producer).post(complete).then().statusCode(503)
                .contentType(startsWith("application/problem+json")).header("Retry-After", "2");
        FaultProxies.storage.restore();

        as(producer).get("/api/v1/producer/uploads/" + upload.getString("id")).then().statusCode(200)
                .body("state", equalTo("pending"));
        as(producer).post(complete).then().statusCode(200).body("versionNumber", equalTo(1));
    }
}
