package com.microdrama.core.openapi;

import com.microdrama.core.auth.Roles;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes the scanned OpenAPI document with what every operation shares, so that resources only annotate what is
 * their own (operationId, summary, their particular statuses and examples). From the model alone it derives:
 * <ul>
 * <li>security: the role of {@code @RolesAllowed} (which Quarkus states under one generic scheme) becomes that role's
 * bearer scheme; operations that state none are marked public ({@code security: []}); {@code x-auth: optional}
 * (anonymous or signed in) becomes {@code [{}, {viewerToken: []}]};</li>
 * <li>the statuses the common machinery answers: 400 where there is input, 401/403 where there is a token, 404
 * where a path names something, 413/415 where there is a body, 500 and 503 (outage, request deadline) everywhere,
 * each with its problem+json body; statuses a resource declares without a body get the problem body (402: the
 * paywall's), 304 gets the If-None-Match parameter and the ETag header;</li>
 * <li>schemas true to the answers: every property of an answer's schema is required (Jackson writes nulls), and
 * scalar helper schemas (UUID, Instant, …) are inlined as {@code string} with their format.</li>
 * </ul>
 * The shared pieces it points to live in META-INF/openapi.yaml. How the document is kept true: docs/decisions.md#api-contract.
 */
// At start-up, on the final document: after Quarkus' own build-time filters have stated the roles.
@OpenApiFilter(OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class ContractFilter implements OASFilter {

    /** The scheme Quarkus puts {@code @RolesAllowed} roles under (quarkus.smallrye-openapi.security-scheme-name). */
    static final String QUARKUS_SCHEME = "SecurityScheme";
    static final String OPENAPI_VERSION = "3.0.3";
    static final String OPTIONAL_AUTH = "x-auth";
    private static final Map<String, String> ROLE_SCHEMES = Map.of(
            Roles.VIEWER, "viewerToken",
            Roles.PRODUCER, "producerToken",
            Roles.OPERATOR, "operatorToken",
            Roles.PAYMENT_SERVICE, "paymentServiceToken");
    private static final Map<String, String> ROLE_DESCRIPTIONS = new LinkedHashMap<>(Map.of(
            Roles.VIEWER, "RS256 JWT from the identity provider whose groups claim holds viewer (the apps' users)",
            Roles.PRODUCER, "RS256 JWT whose groups claim holds producer; producers act on their own series only",
            Roles.OPERATOR, "RS256 JWT whose groups claim holds operator",
            Roles.PAYMENT_SERVICE, "RS256 JWT whose groups claim holds payment-service (the server that verifies "
                    + "store purchases)"));
    private static final Set<String> TOKEN_SCHEMES = Set.of("playbackToken", "adSignature");
    private static final String PROBLEM = "application/problem+json";
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String RESPONSES = "#/components/responses/";
    /** The component schemas of the document being filtered, for the types of what references point to. */
    private static final ThreadLocal<Map<String, Schema>> COMPONENTS = ThreadLocal.withInitial(Map::of);

    @Override
    public void filterOpenAPI(OpenAPI api) {
        Components components = api.getComponents();
        components.removeSecurityScheme(QUARKUS_SCHEME);
        declareSchemes(components);
        Map<String, Schema> inlined = scalarSchemas(components);
        Set<String> answered = new HashSet<>();
        api.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            secure(operation);
            respond(path, item, operation);
            dropCredentialParameters(operation, components);
            operation.getResponses().getAPIResponses().values().forEach(response -> {
                if (response.getContent() != null) {
                    response.getContent().getMediaTypes().values()
                            .forEach(media -> collectRefs(media.getSchema(), components, answered));
                }
            });
        }));
        requireAnswerProperties(components, answered);
        inline(api, inlined);
        COMPONENTS.remove();
        // Scanned as 3.1, where Quarkus keeps the roles of @RolesAllowed; written as 3.0 (nullable: true and
        // friends), which the request validator of the tests and the client generators read fully.
        api.setOpenapi(OPENAPI_VERSION);
    }

    private static void declareSchemes(Components components) {
        ROLE_DESCRIPTIONS.forEach((role, description) -> components.addSecurityScheme(ROLE_SCHEMES.get(role),
                OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description(description)));
        components.addSecurityScheme("playbackToken", OASFactory.createSecurityScheme().type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.QUERY).name("token").description("Short-lived HMAC playback token bound to "
                        + "viewer, episode version and expiry; the playback answer's masterUrl carries it"));
        components.addSecurityScheme("adSignature", OASFactory.createSecurityScheme().type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER).name("X-Ad-Signature").description("Hex HMAC-SHA256, with the secret "
                        + "shared with the ad network, of viewerId|episodeId|transactionId|timestamp"));
    }

    private static void secure(Operation operation) {
        List<SecurityRequirement> security = operation.getSecurity();
        Object auth = operation.getExtensions() == null ? null : operation.getExtensions().get(OPTIONAL_AUTH);
        if (operation.getResponses() != null) {
            // SmallRye also copies a method's @Extension onto its responses: the marker is the operation's alone.
            operation.getResponses().removeExtension(OPTIONAL_AUTH);
        }
        if (auth != null) {
            operation.removeExtension(OPTIONAL_AUTH);
            operation.setSecurity(new ArrayList<>(List.of(OASFactory.createSecurityRequirement(),
                    OASFactory.createSecurityRequirement().addScheme(ROLE_SCHEMES.get(Roles.VIEWER)))));
            return;
        }
        if (security == null || security.isEmpty()) {
            operation.setSecurity(new ArrayList<>());
            return;
        }
        List<SecurityRequirement> stated = new ArrayList<>();
        for (SecurityRequirement requirement : security) {
            List<String> roles = roles(requirement);
            if (roles == null) {
                stated.add(requirement);
                continue;
            }
            for (String role : roles) {
                String scheme = ROLE_SCHEMES.get(role);
                if (scheme == null) {
                    throw new IllegalStateException("no security scheme for role " + role);
                }
                stated.add(OASFactory.createSecurityRequirement().addScheme(scheme));
            }
        }
        operation.setSecurity(stated);
    }

    /**
     * The roles of a requirement Quarkus stated: under its own scheme, or, once a document defines schemes, under
     * the first of them with the roles as scopes. Null for a requirement written by hand.
     */
    private static List<String> roles(SecurityRequirement requirement) {
        List<String> roles = requirement.getScheme(QUARKUS_SCHEME);
        if (roles != null) {
            return roles;
        }
        for (List<String> scopes : requirement.getSchemes().values()) {
            if (scopes != null && !scopes.isEmpty() && ROLE_SCHEMES.keySet().containsAll(scopes)) {
                return scopes;
            }
        }
        return null;
    }

    private void respond(String path, PathItem item, Operation operation) {
        Map<String, APIResponse> responses = operation.getResponses().getAPIResponses();
        Set<String> schemes = new HashSet<>();
        operation.getSecurity().forEach(r -> schemes.addAll(r.getSchemes().keySet()));
        boolean anonymousToo = operation.getSecurity().stream().anyMatch(r -> r.getSchemes().isEmpty());
        boolean bearer = schemes.stream().anyMatch(ROLE_SCHEMES::containsValue);
        boolean hasInput = operation.getRequestBody() != null
                || (operation.getParameters() != null && !operation.getParameters().isEmpty())
                || (item.getParameters() != null && !item.getParameters().isEmpty());
        // Quarkus' own placeholders ("Bad Request", "Not Authorized", "Not Allowed") give way to the real answers.
        for (String code : List.of("400", "401", "403")) {
            APIResponse response = responses.get(code);
            if (response != null && response.getRef() == null && response.getContent() == null) {
                operation.getResponses().removeAPIResponse(code);
            }
        }
        if (hasInput) {
            common(operation, "400", "BadRequest");
        }
        if (bearer) {
            common(operation, "401", "Unauthorized");
            if (!anonymousToo) {
                common(operation, "403", "Forbidden");
            }
        }
        if (schemes.stream().anyMatch(TOKEN_SCHEMES::contains)) {
            common(operation, "403", "TokenRefused");
        }
        if (path.contains("{")) {
            common(operation, "404", "NotFound");
        }
        if (operation.getRequestBody() != null) {
            common(operation, "413", "PayloadTooLarge");
            Content body = operation.getRequestBody().getContent();
            boolean anyType = body != null && body.getMediaTypes().keySet().stream().anyMatch(t -> t.startsWith("*/"));
            if (!anyType) {
                common(operation, "415", "UnsupportedMediaType");
            }
        }
        common(operation, "500", "InternalError");
        common(operation, "503", "ServiceUnavailable");

        for (Map.Entry<String, APIResponse> entry : new LinkedHashMap<>(responses).entrySet()) {
            String code = entry.getKey();
            APIResponse response = entry.getValue();
            if (response.getRef() != null) {
                continue;
            }
            if (code.startsWith("4") || code.startsWith("5")) {
                if (response.getContent() == null || response.getContent().getMediaTypes().isEmpty()) {
                    String schema = code.equals("402") ? "PaymentRequired" : "Problem";
                    response.setContent(OASFactory.createContent().addMediaType(PROBLEM,
                            OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMAS + schema))));
                }
                if (code.equals("429") || code.equals("503")) {
                    response.addHeader("Retry-After", OASFactory.createHeader().ref("#/components/headers/RetryAfter"));
                }
            }
            if (code.equals("304")) {
                notModified(operation);
            }
        }
    }

    /** Conditional GETs: the ETag on success, If-None-Match in the request. */
    private static void notModified(Operation operation) {
        operation.addParameter(OASFactory.createParameter().name("If-None-Match").in(Parameter.In.HEADER)
                .description("the ETag of the answer the app holds: 304 without a body when it is still current")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        APIResponse ok = operation.getResponses().getAPIResponse("200");
        if (ok != null) {
            ok.addHeader("ETag", OASFactory.createHeader().ref("#/components/headers/ETag"));
        }
    }

    private static void common(Operation operation, String code, String component) {
        APIResponse declared = operation.getResponses().getAPIResponse(code);
        if (declared == null) {
            operation.getResponses().addAPIResponse(code, OASFactory.createAPIResponse().ref(RESPONSES + component));
        }
    }

    /** A credential is stated by the security scheme: the same header or query parameter is not listed twice. */
    private static void dropCredentialParameters(Operation operation, Components components) {
        if (operation.getParameters() == null || components.getSecuritySchemes() == null) {
            return;
        }
        Set<String> credentials = new HashSet<>();
        operation.getSecurity().forEach(r -> r.getSchemes().keySet().forEach(name -> {
            SecurityScheme scheme = components.getSecuritySchemes().get(name);
            if (scheme != null && scheme.getType() == SecurityScheme.Type.APIKEY) {
                credentials.add(scheme.getIn() + ":" + scheme.getName().toLowerCase());
            }
        }));
        operation.setParameters(new ArrayList<>(operation.getParameters().stream()
                .filter(p -> p.getIn() == null || p.getName() == null
                        || !credentials.contains(p.getIn().toString() + ":" + p.getName().toLowerCase()))
                .toList()));
    }

    /** Component schemas that are one scalar with a format (UUID, Instant, LocalDate…): inlined where used. */
    private static Map<String, Schema> scalarSchemas(Components components) {
        Map<String, Schema> scalars = new LinkedHashMap<>();
        if (components.getSchemas() == null) {
            return scalars;
        }
        components.getSchemas().forEach((name, schema) -> {
            List<Schema.SchemaType> type = schema.getType();
            if (type != null && type.size() == 1 && type.get(0) != Schema.SchemaType.OBJECT
                    && type.get(0) != Schema.SchemaType.ARRAY && schema.getEnumeration() == null
                    && schema.getProperties() == null) {
                scalars.put(SCHEMAS + name, schema);
            }
        });
        scalars.keySet().forEach(ref -> components.removeSchema(ref.substring(SCHEMAS.length())));
        return scalars;
    }

    private static void inline(OpenAPI api, Map<String, Schema> scalars) {
        COMPONENTS.set(api.getComponents().getSchemas());
        api.getComponents().getSchemas().values().forEach(schema -> inline(schema, scalars));
        api.getPaths().getPathItems().values().forEach(item -> {
            if (item.getParameters() != null) {
                item.getParameters().forEach(p -> p.setSchema(inline(p.getSchema(), scalars)));
            }
            item.getOperations().values().forEach(operation -> {
                if (operation.getParameters() != null) {
                    operation.getParameters().forEach(p -> p.setSchema(inline(p.getSchema(), scalars)));
                }
                if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                    operation.getRequestBody().getContent().getMediaTypes().values()
                            .forEach(m -> m.setSchema(inline(m.getSchema(), scalars)));
                }
                operation.getResponses().getAPIResponses().values().forEach(r -> {
                    if (r.getContent() != null) {
                        r.getContent().getMediaTypes().values().forEach(m -> m.setSchema(inline(m.getSchema(), scalars)));
                    }
                });
            });
        });
    }

    /** The schema with every reference to a scalar component replaced by a copy of it (kept nullable if it was). */
    private static Schema inline(Schema schema, Map<String, Schema> scalars) {
        Map<String, Schema> components = COMPONENTS.get();
        if (schema == null || isBooleanSchema(schema)) {
            return schema;
        }
        Schema nullable = nullableOf(schema);
        if (nullable != null) {
            Schema inner = inline(nullable, scalars);
            if (inner.getRef() != null) {
                // OpenAPI 3.0 ignores siblings of $ref: the nullable reference is {type, nullable, allOf: [$ref]}.
                Schema target = components.get(inner.getRef().substring(SCHEMAS.length()));
                Schema.SchemaType type = target != null && target.getType() != null && !target.getType().isEmpty()
                        ? target.getType().get(0) : Schema.SchemaType.OBJECT;
                inner = OASFactory.createSchema().addType(type).addAllOf(inner);
            }
            inner.addType(Schema.SchemaType.NULL);
            if (schema.getDescription() != null) {
                inner.setDescription(schema.getDescription());
            }
            return inner;
        }
        Schema scalar = schema.getRef() == null ? null : scalars.get(schema.getRef());
        if (scalar != null) {
            Schema copy = OASFactory.createSchema().type(new ArrayList<>(scalar.getType())).format(scalar.getFormat())
                    .description(schema.getDescription() != null ? schema.getDescription() : scalar.getDescription());
            return copy;
        }
        if (schema.getProperties() != null) {
            Map<String, Schema> properties = new LinkedHashMap<>();
            schema.getProperties().forEach((name, property) -> properties.put(name, inline(property, scalars)));
            schema.setProperties(properties);
        }
        if (schema.getItems() != null) {
            schema.setItems(inline(schema.getItems(), scalars));
        }
        if (schema.getAllOf() != null) {
            schema.setAllOf(new ArrayList<>(schema.getAllOf().stream().map(s -> inline(s, scalars)).toList()));
        }
        if (schema.getAnyOf() != null) {
            schema.setAnyOf(new ArrayList<>(schema.getAnyOf().stream().map(s -> inline(s, scalars)).toList()));
        }
        if (schema.getOneOf() != null) {
            schema.setOneOf(new ArrayList<>(schema.getOneOf().stream().map(s -> inline(s, scalars)).toList()));
        }
        if (schema.getAdditionalPropertiesSchema() != null) {
            schema.setAdditionalPropertiesSchema(inline(schema.getAdditionalPropertiesSchema(), scalars));
        }
        return schema;
    }

    /** What SmallRye writes for a nullable reference, {@code anyOf: [X, {type: null}]}: X, else null. */
    private static Schema nullableOf(Schema schema) {
        List<Schema> anyOf = schema.getAnyOf();
        if (anyOf == null || anyOf.size() != 2) {
            return null;
        }
        for (int i = 0; i < 2; i++) {
            Schema other = anyOf.get(1 - i);
            if (isNull(anyOf.get(i)) && !isNull(other)) {
                return other;
            }
        }
        return null;
    }

    private static boolean isNull(Schema schema) {
        if (schema == null || isBooleanSchema(schema)) {
            return false;
        }
        List<Schema.SchemaType> type = schema.getType();
        List<Object> values = schema.getEnumeration();
        return (type != null && type.equals(List.of(Schema.SchemaType.NULL)))
                || (values != null && values.size() == 1 && values.get(0) == null);
    }

    /** {@code true} or {@code false} as a schema (additionalProperties: true): nothing to walk into. */
    private static boolean isBooleanSchema(Schema schema) {
        return schema instanceof io.smallrye.openapi.internal.models.media.Schema model && model.getBooleanSchema() != null;
    }

    private static void collectRefs(Schema schema, Components components, Set<String> seen) {
        if (schema == null || isBooleanSchema(schema)) {
            return;
        }
        if (schema.getRef() != null) {
            String name = schema.getRef().substring(schema.getRef().lastIndexOf('/') + 1);
            Schema target = components.getSchemas() == null ? null : components.getSchemas().get(name);
            if (target != null && seen.add(name)) {
                collectRefs(target, components, seen);
            }
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(p -> collectRefs(p, components, seen));
        }
        collectRefs(schema.getItems(), components, seen);
        for (List<Schema> group : java.util.Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
            if (group != null) {
                group.forEach(s -> collectRefs(s, components, seen));
            }
        }
        collectRefs(schema.getAdditionalPropertiesSchema(), components, seen);
    }

    /**
     * Jackson writes every component of an answer's record, null or not: each property is required (a nullable one
     * says so in its type). A schema that states its own required list keeps it (one written with NON_NULL states
     * {@code @Schema(requiredProperties)}).
     */
    private static void requireAnswerProperties(Components components, Set<String> answered) {
        for (String name : answered) {
            Schema schema = components.getSchemas().get(name);
            if (schema == null || schema.getProperties() == null || schema.getProperties().isEmpty()
                    || name.equals("Problem") || name.equals("FieldError")) {
                continue;
            }
            if (schema.getRequired() == null || schema.getRequired().isEmpty()) {
                schema.setRequired(new ArrayList<>(schema.getProperties().keySet()));
            }
        }
    }
}
