package com.microdrama.upload;

import static com.microdrama.support.Api.createSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Db;
import com.microdrama.support.Storage;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The size limit of a body without Content-Length, checked while it streams (a 6 MiB limit keeps the test small). */
@QuarkusTest
@TestProfile(StreamedSizeLimitTest.SmallLimit.class)
class StreamedSizeLimitTest {

    public static class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("upload.max-size", "6M", "upload.part-size", "5M");
        }
    }

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @TestHTTPResource("/")
    URI base;

    @Test
    void a_chunked_body_passing_the_limit_is_413_and_leaves_nothing_behind() throws Exception {
        String series = createSeries(producer, seriesBody(unique("chunked")));
        String response;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/producer/series/" + series + "/episodes/1/source HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: " + Tokens.bearer(producer) + "\r\nContent-Type: video/mp4\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[256 * 1024];
            try {
                // 8 MiB, more than the limit; the server may close before all of it is written.
                for (int i = 0; i < 32; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (SocketException closedByServer) {
                // expected once the limit is passed
            }
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(response).startsWith("HTTP/1.1 413")
                .containsIgnoringCase("application/problem+json")
                .contains("the file is larger than the 6 MiB limit");
        assertThat(Storage.keys(storage, "raw/" + series + "/")).isEmpty();
        assertThat(Storage.pendingMultiparts(storage, "raw/" + series + "/")).isZero();
        assertThat(Db.row(db, "select state from upload where series_id = ?", UUID.fromString(series)).get("state"))
                .isEqualTo("failed");
    }
}
