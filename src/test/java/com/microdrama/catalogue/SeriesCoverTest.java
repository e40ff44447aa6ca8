package com.microdrama.catalogue;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.createPublishedSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Media;
import com.microdrama.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SeriesCoverTest {

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));

    @Test
    void a_png_with_metadata_and_trailing_bytes_is_stored_as_clean_3x4_and_9x16_jpegs_that_every_answer_carries() {
        String series = createPublishedSeries(producer, seriesBody(unique("cover")));
        Path png = Media.ffmpeg("cover-1000x1000.png", "-f", "lavfi", "-i", "testsrc=size=1000x1000:rate=1",
                "-frames:v", "1", "-metadata", "comment=SECRET-METADATA");
        byte[] upload = concat(Media.bytes(png), "SECRET-TRAILER".getBytes(StandardCharsets.US_ASCII));

        Response stored = uploadCover(series, "image/png", upload);
        stored.then().statusCode(200);
        String portrait = stored.path("portrait3x4");
        String fullScreen = stored.path("fullScreen9x16");
        assertThat(portrait).matches("/api/v1/covers/" + series + "/[0-9a-f]{16}/3x4\\.jpg");

        byte[] small = fetch(portrait);
        byte[] tall = fetch(fullScreen);
        assertThat(dimensions(small)).isEqualTo("720x960");
        assertThat(dimensions(tall)).isEqualTo("720x1280");
        for (byte[] image : new byte[][] {small, tall}) {
            String text = new String(image, StandardCharsets.ISO_8859_1);
            assertThat(text).doesNotContain("SECRET").doesNotContain("Lavc").doesNotContain("Exif");
            assertThat(image[0] & 0xff).isEqualTo(0xff);
            assertThat(image[image.length - 2] & 0xff).as("ends with the JPEG end marker").isEqualTo(0xff);
            assertThat(image[image.length - 1] & 0xff).isEqualTo(0xd9);
        }

        given().get("/api/v1/series/" + series).then().statusCode(200).body("cover.portrait3x4", equalTo(portrait));
        String slug = given().get("/api/v1/series/" + series).path("slug");
        given().queryParam("q", slug).get("/api/v1/search").then().statusCode(200)
                .body("items[0].cover.fullScreen9x16", equalTo(fullScreen));
        as(producer).get("/api/v1/producer/series/" + series).then().body("cover.fullScreen9x16", equalTo(fullScreen));
        // The same image again keeps the same URL: it names the upload's digest.
        uploadCover(series, "image/png", upload).then().statusCode(200).body("portrait3x4", equalTo(portrait));
    }

    @Test
    void webp_and_jpeg_are_accepted() {
        String series = createPublishedSeries(producer, seriesBody(unique("cover")));
        Path webp = Media.ffmpeg("cover.webp", "-f", "lavfi", "-i", "testsrc=size=600x900:rate=1", "-frames:v", "1");
        uploadCover(series, "image/webp", Media.bytes(webp)).then().statusCode(200);
        Path jpeg = Media.ffmpeg("cover.jpg", "-f", "lavfi", "-i", "testsrc=size=1080x1920:rate=1", "-frames:v", "1");
        uploadCover(series, "image/jpeg", Media.bytes(jpeg)).then().statusCode(200);
    }

    @Test
    void bad_images_are_refused_with_the_reason() {
        String series = createPublishedSeries(producer, seriesBody(unique("cover")));
        uploadCover(series, "image/jpeg", "<svg onload=alert(1)>".getBytes(StandardCharsets.UTF_8)).then()
                .statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("not a JPEG, PNG or WebP"));

        Path jpeg = Media.ffmpeg("cover-for-truncation.jpg", "-f", "lavfi", "-i", "testsrc=size=800x1000:rate=1",
                "-frames:v", "1");
        uploadCover(series, "image/jpeg", Media.slice(jpeg, 400)).then()
                .statusCode(422).body("detail", containsString("cannot be decoded"));

        Path tiny = Media.ffmpeg("cover-tiny.png", "-f", "lavfi", "-i", "testsrc=size=100x100:rate=1", "-frames:v", "1");
        uploadCover(series, "image/png", Media.bytes(tiny)).then()
                .statusCode(422).body("detail", containsString("at least 300×400"));

        // 7000 a side, declared in the header; refused before it is decoded.
        Path wide = Media.ffmpeg("cover-wide.png", "-f", "lavfi", "-i", "color=black:size=7000x400:rate=1",
                "-frames:v", "1");
        uploadCover(series, "image/png", Media.bytes(wide)).then()
                .statusCode(422).body("detail", containsString("at most 6000 pixels a side"));

        assertThat(declaringElevenMebibytes(series)).startsWith("HTTP/1.1 413").contains("at most 10 MiB");
    }

    /** The headers alone: the guard answers from Content-Length before a byte of the body is read. */
    private String declaringElevenMebibytes(String series) {
        java.net.URI base = java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("PUT /api/v1/producer/series/" + series + "/cover HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + producer + "\r\nContent-Type: image/png\r\nContent-Length: "
                    + 11 * 1024 * 1024 + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void only_the_owner_uploads_and_an_unknown_cover_is_404() {
        String series = createPublishedSeries(producer, seriesBody(unique("cover")));
        String stranger = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Path png = Media.ffmpeg("cover-1000x1000.png", "-f", "lavfi", "-i", "testsrc=size=1000x1000:rate=1",
                "-frames:v", "1", "-metadata", "comment=SECRET-METADATA");
        as(stranger).contentType("image/png").body(Media.bytes(png)).put("/api/v1/producer/series/" + series + "/cover")
                .then().statusCode(403);
        given().get("/api/v1/covers/" + series + "/0123456789abcdef/3x4.jpg").then().statusCode(404);
        given().get("/api/v1/covers/" + series + "/0123456789abcdef/1x1.jpg").then().statusCode(400);
    }

    private Response uploadCover(String series, String contentType, byte[] body) {
        return as(producer).contentType(contentType).body(body).put("/api/v1/producer/series/" + series + "/cover");
    }

    private static byte[] fetch(String url) {
        return given().get(url).then().statusCode(200).contentType("image/jpeg")
                .header("Cache-Control", containsString("max-age=31536000"))
                .header("Cache-Control", containsString("immutable"))
                .extract().asByteArray();
    }

    private static String dimensions(byte[] image) {
        try {
            Path file = Files.createTempFile("cover-check-", ".jpg");
            Files.write(file, image);
            Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of",
                    "csv=s=x:p=0", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(20, TimeUnit.SECONDS);
            Files.delete(file);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
