package com.microdrama.catalogue;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.createPlayableEpisode;
import static com.microdrama.support.Api.createPublishedSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.sql;
import static com.microdrama.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TranslationsTest {

    @Inject
    AgroalDataSource db;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));

    @Test
    void viewers_get_the_best_translation_for_accept_language_or_lang_and_are_told_which() {
        String slug = unique("i18n");
        String series = createPublishedSeries(producer, seriesBody(slug));
        createPlayableEpisode(db, producer, series, 1);
        createPlayableEpisode(db, producer, series, 2);
        putSeries(series, "es", "El regreso del CEO", "Una sinopsis").statusCode(200)
                .body("language", equalTo("es"));
        putSeries(series, "pt-br", "O retorno do CEO", "").statusCode(200).body("language", equalTo("pt-BR"));
        putSeries(series, "zh-hant", "總裁歸來", "簡介").statusCode(200).body("language", equalTo("zh-Hant"));
        as(producer).body(Map.of("title", "El primero"))
                .put("/api/v1/producer/series/" + series + "/episodes/1/translations/es").then().statusCode(200);

        // Accept-Language with q-values: es-MX is not offered, its language is.
        var detail = given().header("Accept-Language", "de;q=0.9, es-MX, en;q=0.5").get("/api/v1/series/" + slug)
                .then().statusCode(200)
                .header("Content-Language", "es")
                .header("Vary", containsString("Accept-Language"))
                .extract().jsonPath();
        assertThat(detail.getString("title")).isEqualTo("El regreso del CEO");
        assertThat(detail.getString("synopsis")).isEqualTo("Una sinopsis");
        assertThat(detail.getString("language")).isEqualTo("en");
        assertThat(detail.getString("contentLanguage")).isEqualTo("es");
        assertThat(detail.getList("languages", String.class)).containsExactly("en", "es", "pt-BR", "zh-Hant");

        // ?lang= wins over the header; an empty translated synopsis falls back to the default one.
        JsonPath pt = given().header("Accept-Language", "es").queryParam("lang", "pt-PT")
                .get("/api/v1/series/" + slug).then().statusCode(200).header("Content-Language", "pt-BR")
                .extract().jsonPath();
        assertThat(pt.getString("title")).isEqualTo("O retorno do CEO");
        assertThat(pt.getString("synopsis")).isEqualTo("A synopsis");
        // RFC 4647 lookup: zh-Hant-TW truncates to zh-Hant.
        given().queryParam("lang", "zh-Hant-TW").get("/api/v1/series/" + slug).then().statusCode(200)
                .body("contentLanguage", equalTo("zh-Hant")).body("title", equalTo("總裁歸來"));
        // Nothing offered: the series' default, and the answer says so.
        given().header("Accept-Language", "fr-CA, de").get("/api/v1/series/" + slug).then().statusCode(200)
                .header("Content-Language", "en").body("title", equalTo("Title of " + slug));
        given().queryParam("lang", "not a tag!").get("/api/v1/series/" + slug).then().statusCode(400)
                .body("errors[0].field", equalTo("lang"));

        // Episode titles follow the series' negotiated language where translated.
        JsonPath episodes = given().header("Accept-Language", "es").get("/api/v1/series/" + slug + "/episodes")
                .then().statusCode(200).header("Content-Language", "es").extract().jsonPath();
        assertThat(episodes.getList("title", String.class)).containsExactly("El primero", "Episode 2");
        assertThat(episodes.getList("titleLanguage", String.class)).containsExactly("es", "en");

        // The list negotiates per series.
        Map<String, Object> listed = given().queryParam("lang", "es").queryParam("genre", "romance")
                .queryParam("limit", 50).get("/api/v1/series").then().statusCode(200)
                .extract().jsonPath().getMap("items.find { it.slug == '" + slug + "' }");
        assertThat(listed).containsEntry("title", "El regreso del CEO").containsEntry("contentLanguage", "es");
    }

    @Test
    void producers_replace_and_remove_translations_of_their_own_series_only() {
        String slug = unique("i18n-edit");
        String series = createPublishedSeries(producer, seriesBody(slug));
        putSeries(series, "es", "Uno", "").statusCode(200);
        putSeries(series, "es", "Dos", "Otra").statusCode(200).body("title", equalTo("Dos"));
        as(producer).get("/api/v1/producer/series/" + series + "/translations").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].title", equalTo("Dos")).body("[0].synopsis", equalTo("Otra"));

        putSeries(series, "en", "Same", "").statusCode(400).body("errors[0].field", equalTo("language"))
                .body("detail", containsString("default language"));
        putSeries(series, "e_s", "Bad", "").statusCode(400).body("errors[0].field", equalTo("language"));
        as(producer).body(Map.of("title", " ")).put("/api/v1/producer/series/" + series + "/translations/fr")
                .then().statusCode(400).body("errors[0].field", containsString("title"));
        String stranger = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        as(stranger).body(Map.of("title", "Mine")).put("/api/v1/producer/series/" + series + "/translations/fr")
                .then().statusCode(403);
        as(Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER))).body(Map.of("title", "Mine"))
                .put("/api/v1/producer/series/" + series + "/translations/fr").then().statusCode(403);

        as(producer).delete("/api/v1/producer/series/" + series + "/translations/es").then().statusCode(204);
        as(producer).delete("/api/v1/producer/series/" + series + "/translations/es").then().statusCode(404);
        given().queryParam("lang", "es").get("/api/v1/series/" + slug).then().statusCode(200)
                .body("contentLanguage", equalTo("en")).body("languages", equalTo(List.of("en")));
    }

    @Test
    void the_series_list_filters_by_audio_and_subtitle_language_of_playable_episodes() {
        String genre = unique("lingo");
        String dubbed = publishedIn(genre, "en");
        String spanish = publishedIn(genre, "es");
        String hidden = publishedIn(genre, "en");
        UUID dubbedVersion = currentVersion(createPlayableEpisode(db, producer, dubbed, 1));
        createPlayableEpisode(db, producer, spanish, 1);
        String unpublished = createPlayableEpisode(db, producer, hidden, 1);
        track(dubbedVersion, "audio", "es");
        track(dubbedVersion, "subtitles", "fr-CA");
        track(currentVersion(unpublished), "subtitles", "fr");
        sql(db, "update episode set published = false where id = ?", UUID.fromString(unpublished));

        assertThat(ids(genre, "audio", "es")).containsExactlyInAnyOrder(dubbed, spanish);
        assertThat(ids(genre, "audio", "en")).containsExactlyInAnyOrder(dubbed, hidden);
        assertThat(ids(genre, "subtitles", "fr")).containsExactly(dubbed);
        assertThat(ids(genre, "subtitles", "fr-CA")).containsExactly(dubbed);
        assertThat(ids(genre, "subtitles", "fr-FR")).isEmpty();
        assertThat(ids(genre, "audio", "fr")).isEmpty();
        given().queryParam("subtitles", "???").get("/api/v1/series").then().statusCode(400)
                .body("errors[0].field", equalTo("subtitles"));

        JsonPath detail = given().get("/api/v1/series/" + dubbed).then().statusCode(200).extract().jsonPath();
        assertThat(detail.getList("audioLanguages", String.class)).containsExactly("en", "es");
        assertThat(detail.getList("subtitleLanguages", String.class)).containsExactly("fr-CA");
    }

    private String publishedIn(String genre, String language) {
        Map<String, Object> body = seriesBody(unique("lingo"));
        body.put("genres", List.of(genre));
        body.put("language", language);
        return createPublishedSeries(producer, body);
    }

    private UUID currentVersion(String episodeId) {
        try (var c = db.getConnection(); var ps = c.prepareStatement("select current_version_id from episode where id = ?")) {
            ps.setObject(1, UUID.fromString(episodeId));
            var rs = ps.executeQuery();
            rs.next();
            return (UUID) rs.getObject(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void track(UUID version, String kind, String language) {
        UUID id = UUID.randomUUID();
        sql(db, "insert into media_track (id, version_id, kind, language, name, dir) values (?, ?, ?, ?, ?, ?)",
                id, version, kind, language, language, (kind.equals("audio") ? "a-" : "s-") + id);
    }

    private List<String> ids(String genre, String filter, String language) {
        return given().queryParam("genre", genre).queryParam(filter, language).queryParam("limit", 50)
                .get("/api/v1/series").then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
    }

    private io.restassured.response.ValidatableResponse putSeries(String series, String language, String title,
                                                                 String synopsis) {
        return as(producer).body(Map.of("title", title, "synopsis", synopsis))
                .put("/api/v1/producer/series/" + series + "/translations/" + language).then();
    }
}
