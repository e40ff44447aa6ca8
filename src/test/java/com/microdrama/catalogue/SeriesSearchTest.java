package com.microdrama.catalogue;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.createPublishedSeries;
import static com.microdrama.support.Api.createSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SeriesSearchTest {

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));

    @Test
    void finds_a_title_despite_a_typo_or_a_partial_word_and_never_a_draft() {
        String word = randomWord();
        String id = series("The " + word + " Returns", "A quiet story", List.of("revenge"));
        String draft = createSeries(producer, withText("The " + word + " Draft", "", List.of()));

        assertThat(search(word)).contains(id).doesNotContain(draft);
        assertThat(search(word.substring(0, 5))).as("a partial word").contains(id);
        assertThat(search(typo(word) + " returns")).as("a typo").contains(id);
        assertThat(search(word.toUpperCase())).as("any case").contains(id);
    }

    @Test
    void a_title_match_ranks_above_a_tag_match_above_a_synopsis_match() {
        String word = randomWord();
        String inSynopsis = series("Plain story one", "Where " + word + " waits", List.of());
        String inTag = series("Plain story two", "Nothing here", List.of(word));
        String inTitle = series("Night of the " + word, "Nothing here", List.of());

        assertThat(search(word)).containsExactly(inTitle, inTag, inSynopsis);
    }

    @Test
    void cjk_titles_are_found_by_a_word_inside_them() {
        String suffix = randomCjk();
        String id = series("霸道总裁爱上我" + suffix, "一个爱情故事", List.of("总裁"));

        assertThat(search("总裁爱上我" + suffix)).contains(id);
        assertThat(search(suffix)).containsExactly(id);
        assertThat(search("霸道总裁")).contains(id);
    }

    @Test
    void translations_are_found_in_every_language_a_series_carries() {
        String english = randomWord();
        String spanish = randomWord();
        String shared = randomWord();
        String suffix = randomCjk();
        String id = series("The " + english + " Bride", "A contract marriage", List.of());
        translate(id, "es", "La novia " + spanish + " " + shared, "Un matrimonio por contrato");
        translate(id, "ja", "社長の秘密の花嫁" + suffix, "契約結婚の物語");
        String other = series("Unrelated " + randomWord(), "Nothing to see", List.of());
        translate(other, "es", "Otra historia", "Una " + shared + ", otra vez");

        assertThat(search(spanish)).as("the Spanish title").containsExactly(id);
        assertThat(search("novia " + spanish.substring(0, 5))).as("a partial Spanish word").containsExactly(id);
        assertThat(search("novia " + typo(spanish))).as("a typo in the Spanish title").containsExactly(id);
        assertThat(search("秘密の花嫁" + suffix)).as("inside the Japanese title").containsExactly(id);
        assertThat(search(english)).as("the series' own title still").containsExactly(id);
        assertThat(search(shared)).as("a translated title over a translated synopsis, each series once")
                .containsExactly(id, other);

        String draft = createSeries(producer, withText("Draft " + randomWord(), "", List.of()));
        String hidden = randomWord();
        translate(draft, "es", "Borrador " + hidden, "");
        assertThat(search(hidden)).as("a draft's translation").isEmpty();
    }

    private void translate(String seriesId, String language, String title, String synopsis) {
        as(producer).body(Map.of("title", title, "synopsis", synopsis))
                .put("/api/v1/producer/series/" + seriesId + "/translations/" + language).then().statusCode(200);
    }

    @Test
    void pages_walk_every_match_once_best_first() {
        String word = randomWord();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(series(i % 2 == 0 ? word + " saga " + i : "Saga " + i, "about " + word, List.of()));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("q", word).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/search").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates().containsAll(ids);
        // The three with the word in their title come first.
        assertThat(seen.subList(0, 3)).containsExactlyInAnyOrder(ids.get(0), ids.get(2), ids.get(4));
    }

    @Test
    void a_missing_query_is_refused_and_like_wildcards_are_plain_characters() {
        given().get("/api/v1/search").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("q"));
        given().queryParam("q", "  ").get("/api/v1/search").then().statusCode(400);
        assertThat(search("%_\\")).isEmpty();
        assertThat(search("%")).isEmpty();
    }

    private List<String> search(String q) {
        return given().queryParam("q", q).queryParam("limit", 50).get("/api/v1/search")
                .then().statusCode(200).extract().jsonPath().getList("items.id");
    }

    private String series(String title, String synopsis, List<String> tags) {
        return createPublishedSeries(producer, withText(title, synopsis, tags));
    }

    private static Map<String, Object> withText(String title, String synopsis, List<String> tags) {
        Map<String, Object> body = seriesBody(unique("search"));
        body.put("title", title);
        body.put("synopsis", synopsis);
        body.put("tags", tags);
        return body;
    }

    /** A made-up word no other test's series carries. */
    private static String randomWord() {
        StringBuilder word = new StringBuilder("q");
        for (int i = 0; i < 8; i++) {
            word.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return word.toString();
    }

    private static String randomCjk() {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            word.append((char) (0x4E00 + ThreadLocalRandom.current().nextInt(0x5000)));
        }
        return word.toString();
    }

    /** One letter in the middle swapped for another. */
    private static String typo(String word) {
        char[] letters = word.toCharArray();
        letters[4] = letters[4] == 'x' ? 'y' : 'x';
        return new String(letters);
    }
}
