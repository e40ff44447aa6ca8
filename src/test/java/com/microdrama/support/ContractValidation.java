package com.microdrama.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.RestAssuredRequest;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Every exchange a test makes with the API through REST Assured is checked against the OpenAPI document the app
 * serves (Atlassian's swagger-request-validator): an answer with a status, a header or a body the document does not
 * describe fails the test that made the request. Installed before each {@code @QuarkusTest} method as a global REST
 * Assured filter (registered in META-INF/services), so no test has to ask for it; the document is read from the
 * app that answered, at its first request.
 * <p>
 * What is checked: every answer of {@code /api/…}; the request too when the app accepted it (a status below 400),
 * since tests send bad requests on purpose and the document rightly refuses those. A path the document lacks is a
 * failure unless the app did not know it either (404/405). Other traffic (storage's presigned URLs, /q/…, the
 * pages) and CORS preflights or refusals are not the API's contract. With {@code -Dcontract.validation=report} violations are appended to
 * target/openapi/violations.txt instead of failing (to survey a change in one run).
 */
public final class ContractValidation implements OrderedFilter, QuarkusTestBeforeEachCallback {

    public static final Path VIOLATIONS = Path.of("target/openapi/violations.txt");
    private static final boolean REPORT_ONLY = "report".equals(System.getProperty("contract.validation"));
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private static volatile String currentTest = "?";
    private static final java.util.regex.Pattern NULL_AT = java.util.regex.Pattern.compile("\\[Path '([^']*)'\\]");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The validator per port of the app that serves the document (several apps start in one run: profiles). */
    private final Map<Integer, OpenApiInteractionValidator> validators = new ConcurrentHashMap<>();

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        currentTest = context.getTestInstance().getClass().getSimpleName() + "." + context.getTestMethod().getName();
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof ContractValidation)) {
            RestAssured.filters(this);
        }
    }

    /** The document as the running test app serves it at /q/openapi. */
    public static String served(int port) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/q/openapi")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("/q/openapi answered " + answer.statusCode());
            }
            return answer.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /q/openapi", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static OpenApiInteractionValidator load(String document) {
        return OpenApiInteractionValidator.createForInlineApiSpecification(document)
                .withLevelResolver(LevelResolver.create()
                        // Apps may send extra headers; the document lists only those the API reads.
                        .withLevel("validation.request.parameter.header.unexpected", ValidationReport.Level.IGNORE)
                        // Players add their own query parameters (cache busters, analytics); the API ignores them.
                        .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.IGNORE)
                        .build())
                .build();
    }

    @Override
    public int getOrder() {
        // Last before the request is sent, so it sees the request as it goes out and the answer as it came back.
        return OrderedFilter.LOWEST_PRECEDENCE;
    }

    @Override
    public Response filter(FilterableRequestSpecification requestSpec, FilterableResponseSpecification responseSpec,
                           FilterContext ctx) {
        Response response = ctx.next(requestSpec, responseSpec);
        URI uri = URI.create(requestSpec.getURI());
        if (!LOCAL_HOSTS.contains(uri.getHost()) || uri.getRawPath() == null || !uri.getRawPath().startsWith("/api/")
                || isCors(requestSpec, response)) {
            return response;
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        OpenApiInteractionValidator validator = validators.computeIfAbsent(port, p -> load(served(p)));
        String problems = check(validator, requestSpec, response);
        if (problems != null) {
            String message = requestSpec.getMethod() + " " + uri.getRawPath() + " answered " + response.statusCode()
                    + ", which the OpenAPI document does not describe:\n" + problems;
            if (REPORT_ONLY) {
                record(message);
            } else {
                throw new AssertionError(message);
            }
        }
        return response;
    }

    /** The violations of one exchange, or null when it is what the document says. */
    public static String check(OpenApiInteractionValidator validator, FilterableRequestSpecification requestSpec,
                               Response response) {
        Request request = RestAssuredRequest.of(requestSpec);
        int status = response.statusCode();
        ValidationReport report = validator.validateResponse(request.getPath(), request.getMethod(),
                RestAssuredResponse.of(response));
        if (status < 400) {
            report = report.merge(validator.validateRequest(request));
        }
        List<ValidationReport.Message> errors = report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .filter(m -> !(isUnknownPath(m) && (status == 404 || status == 405)))
                .filter(m -> !isBlindSpot(m, requestSpec, response))
                .collect(Collectors.toList());
        if (errors.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        errors.forEach(m -> text.append("  - ").append(m.getKey()).append(": ").append(m.getMessage()).append('\n'));
        String body = response.asString();
        text.append("  body: ").append(body.length() > 600 ? body.substring(0, 600) + "…" : body);
        return text.toString();
    }

    /**
     * A CORS preflight, or Quarkus' CORS filter refusing an origin (403 without a body) before the API is reached:
     * browsers' business, not the API's contract.
     */
    private static boolean isCors(FilterableRequestSpecification request, Response response) {
        return request.getMethod().equals("OPTIONS")
                || (request.getHeaders().hasHeaderWithName("Origin") && response.statusCode() == 403
                && response.asString().isEmpty());
    }

    /**
     * The validator's blind spots, each checked for what it is: a streamed body (a file, a stream, a multipart form)
     * is invisible to it; and OpenAPI 3.0's {@code nullable} does not reach into {@code allOf: [$ref]}, the way a
     * nullable reference is written, so null there fails "allOf" although the document allows it.
     */
    private static boolean isBlindSpot(ValidationReport.Message m, FilterableRequestSpecification request,
                                       Response response) {
        if (m.getKey().equals("validation.request.body.missing")) {
            return !(request.getBody() instanceof String) || !request.getMultiPartParams().isEmpty();
        }
        if (m.getKey().equals("validation.response.body.schema.allOf")) {
            java.util.regex.Matcher at = NULL_AT.matcher(m.getMessage());
            if (at.find()) {
                try {
                    JsonNode value = JSON.readTree(response.asByteArray()).at(at.group(1));
                    return value.isNull();
                } catch (IOException | IllegalArgumentException e) {
                    return false;
                }
            }
        }
        return false;
    }

    private static boolean isUnknownPath(ValidationReport.Message m) {
        return m.getKey().equals("validation.request.path.missing")
                || m.getKey().equals("validation.request.operation.notAllowed");
    }

    private static synchronized void record(String message) {
        try {
            Files.createDirectories(VIOLATIONS.getParent());
            Files.writeString(VIOLATIONS, "[" + currentTest + "] " + message + "\n\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
