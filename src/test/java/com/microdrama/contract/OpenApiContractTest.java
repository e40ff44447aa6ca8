package com.microdrama.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.microdrama.support.ContractValidation;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is the contract mobile teams generate clients from. The app serves it at /q/openapi; its
 * reviewed copy is docs/openapi.yaml (what the generated test client is built from). Here: the two are the same,
 * Redocly's recommended lint finds no error in it, and every operation says who may call it and what it answers.
 */
@QuarkusTest
class OpenApiContractTest {

    static final Path COMMITTED = Path.of("docs/openapi.yaml");
    static final Path SERVED = Path.of("target/openapi/openapi.yaml");
    private static final Path LINT_DIR = Path.of("src/test/openapi");
    private static final Path REDOCLY = LINT_DIR.resolve("node_modules/@redocly/cli/bin/cli.js");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private String served;
    private JsonNode document;

    @BeforeEach
    void fetch() throws IOException {
        served = ContractValidation.served(RestAssured.port);
        Files.createDirectories(SERVED.getParent());
        Files.writeString(SERVED, served);
        document = YAML.readTree(served);
    }

    @Test
    void the_served_document_is_the_committed_contract() throws IOException {
        JsonNode committed = YAML.readTree(COMMITTED.toFile());
        if (!committed.equals(document)) {
            fail("The API's OpenAPI document changed: review " + SERVED + " (what /q/openapi serves now) against "
                    + COMMITTED + ", then copy it there (cp " + SERVED + " " + COMMITTED + ") and bump info.version "
                    + "in application.properties if operations or fields were added.");
        }
    }

    @Test
    void redocly_recommended_lint_finds_no_error() throws Exception {
        Lint lint = lint(SERVED);
        assertThat(lint.exit).as("redocly lint of %s:%n%s", SERVED, lint.output).isZero();
        assertThat(lint.output).contains("Woohoo! Your API description is valid");
    }

    @Test
    void the_lint_refuses_an_operation_without_an_operation_id() throws Exception {
        Path broken = SERVED.resolveSibling("without-operation-id.yaml");
        Files.writeString(broken, served.replaceFirst("\n *operationId: getWallet\n", "\n"));
        Lint lint = lint(broken);
        assertThat(lint.exit).as("lint of a document missing an operationId:%n%s", lint.output).isNotZero();
        assertThat(lint.output).contains("operation-operationId");
    }

    @Test
    void every_operation_states_its_id_summary_security_and_problem_answers() {
        Set<String> ids = new HashSet<>();
        List<String> wrong = new ArrayList<>();
        Set<String> schemes = names(document.path("components").path("securitySchemes"));
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!METHODS.contains(op.getKey())) {
                return;
            }
            String where = op.getKey().toUpperCase() + " " + path.getKey();
            JsonNode operation = op.getValue();
            String id = operation.path("operationId").asText("");
            if (id.isEmpty() || !ids.add(id)) {
                wrong.add(where + ": no operationId, or one already used");
            }
            if (operation.path("summary").asText("").isBlank()) {
                wrong.add(where + ": no summary");
            }
            if (!operation.path("security").isArray()) {
                wrong.add(where + ": no security (public operations say security: [])");
            }
            operation.path("security").forEach(requirement -> names(requirement).stream()
                    .filter(name -> !schemes.contains(name)).forEach(name -> wrong.add(where + ": unknown scheme " + name)));
            operation.path("responses").fieldNames().forEachRemaining(code -> {
                if (!code.matches("[1-5][0-9][0-9]")) {
                    wrong.add(where + ": '" + code + "' among the responses");
                }
            });
            operation.path("responses").fields().forEachRemaining(response -> {
                JsonNode answer = resolve(response.getValue());
                boolean error = response.getKey().startsWith("4") || response.getKey().startsWith("5");
                if (error && !answer.path("content").has("application/problem+json")) {
                    wrong.add(where + ": " + response.getKey() + " without a problem+json body");
                }
            });
            if (!operation.path("responses").has("500") || !operation.path("responses").has("503")) {
                wrong.add(where + ": 500 and 503 are not stated");
            }
        }));
        assertThat(wrong).as("operations of the document").isEmpty();
        assertThat(ids).hasSizeGreaterThan(70);
    }

    @Test
    void the_viewer_answers_say_what_is_nullable_and_what_is_required() {
        JsonNode schemas = document.path("components").path("schemas");
        JsonNode wallet = schemas.path("Wallet");
        assertThat(wallet.path("properties").path("vipUntil").path("nullable").asBoolean())
                .as("Wallet.vipUntil is null without VIP").isTrue();
        assertThat(wallet.path("properties").path("vipUntil").path("format").asText()).isEqualTo("date-time");
        assertThat(names(wallet.path("required"))).contains("viewerId", "paid", "bonus", "total", "vipUntil", "recent");
        assertThat(schemas.path("SeriesPage").path("properties").path("nextCursor").path("nullable").asBoolean())
                .as("SeriesPage.nextCursor is null on the last page").isTrue();
        assertThat(schemas.path("EpisodeView").path("properties").path("id").path("format").asText()).isEqualTo("uuid");
        assertThat(names(resolve(schemas.path("EpisodeView").path("properties").path("lock")).path("enum")))
                .containsExactlyInAnyOrder("free", "unlocked", "locked");

        JsonNode play = document.path("paths").path("/api/v1/episodes/{id}/playback").path("get");
        assertThat(play.path("security").toString()).isEqualTo("[{\"viewerToken\":[]}]");
        JsonNode locked = play.path("responses").path("402").path("content").path("application/problem+json");
        assertThat(locked.path("schema").path("$ref").asText()).isEqualTo("#/components/schemas/PaymentRequired");
        assertThat(names(schemas.path("PaymentRequired").path("properties")))
                .contains("type", "title", "status", "detail", "price", "balance", "unlockUrl", "debt");
        assertThat(document.path("paths").path("/api/v1/series").path("get").path("security").toString())
                .isEqualTo("[{},{\"viewerToken\":[]}]");
        assertThat(document.path("paths").path("/api/v1/playback/keys/{version}").path("get").path("security")
                .toString()).isEqualTo("[{\"playbackToken\":[]}]");
        assertThat(document.path("paths").path("/api/v1/payments/topups").path("post").path("security").toString())
                .isEqualTo("[{\"paymentServiceToken\":[]}]");
    }

    @Test
    void the_document_is_versioned_with_the_api_and_names_its_servers() {
        assertThat(document.path("openapi").asText()).isEqualTo("3.0.3");
        assertThat(document.path("info").path("version").asText()).matches("1\\.[0-9]+\\.[0-9]+");
        assertThat(document.path("paths").fieldNames()).toIterable().allMatch(p -> p.startsWith("/api/v1/"));
        assertThat(document.path("info").path("contact").path("email").asText()).contains("@");
        assertThat(document.path("servers")).isNotEmpty();
    }

    private JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText("");
        if (ref.isEmpty()) {
            return node;
        }
        JsonNode target = document;
        for (String part : ref.substring(2).split("/")) {
            target = target.path(part);
        }
        return target;
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new HashSet<>();
        if (node.isArray()) {
            node.forEach(n -> names.add(n.asText()));
        } else {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    record Lint(int exit, String output) {
    }

    /** Redocly CLI as pinned by src/test/openapi/package-lock.json (scripts/services.sh installs it). */
    static Lint lint(Path document) throws IOException, InterruptedException {
        if (!Files.isRegularFile(REDOCLY)) {
            fail("@redocly/cli is not installed in " + LINT_DIR + "/node_modules: run scripts/services.sh up "
                    + "--with-browser (README's test command does), or by hand: (cd " + LINT_DIR + " && npm ci)");
        }
        Path log = document.resolveSibling(document.getFileName() + ".lint.txt");
        Process process = new ProcessBuilder("node", REDOCLY.toString(), "lint", "--config",
                LINT_DIR.resolve("redocly.yaml").toString(), document.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("redocly lint did not finish in 3 min");
        }
        return new Lint(process.exitValue(), Files.readString(log));
    }

}
