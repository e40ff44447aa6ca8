package com.microdrama.core.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Catalogue answers carry a strong ETag (a hash of the exact bytes) and Cache-Control, and a matching
 * If-None-Match is answered 304 without a body: phones on poor networks revalidate instead of downloading.
 */
@ApplicationScoped
public class CachedJson {

    private final ObjectMapper mapper;

    CachedJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Shared caches (CDN) may keep it: the same for everyone. */
    public Response shared(Request request, Object body, int maxAgeSeconds) {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(maxAgeSeconds);
        return respond(request, body, cache, false);
    }

    /** Depends on who asks: only the caller's own cache may keep it, and must revalidate each time. */
    public Response personal(Request request, Object body) {
        CacheControl cache = new CacheControl();
        cache.setPrivate(true);
        cache.setNoCache(true);
        return respond(request, body, cache, true);
    }

    /** As {@link #shared}, for a body already serialised to JSON. */
    public Response sharedJson(Request request, byte[] json, int maxAgeSeconds) {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(maxAgeSeconds);
        return respondJson(request, json, cache, false);
    }

    /** As {@link #personal}, for a body already serialised to JSON. */
    public Response personalJson(Request request, byte[] json) {
        CacheControl cache = new CacheControl();
        cache.setPrivate(true);
        cache.setNoCache(true);
        return respondJson(request, json, cache, true);
    }

    private Response respond(Request request, Object body, CacheControl cache, boolean variesByCaller) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response body is not serialisable", e);
        }
        return respondJson(request, bytes, cache, variesByCaller);
    }

    private Response respondJson(Request request, byte[] bytes, CacheControl cache, boolean variesByCaller) {
        EntityTag tag = new EntityTag(sha256(bytes));
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        Response.ResponseBuilder builder = notModified != null
                ? notModified
                : Response.ok(bytes, MediaType.APPLICATION_JSON_TYPE);
        builder.tag(tag).cacheControl(cache);
        if (variesByCaller) {
            builder.header(HttpHeaders.VARY, HttpHeaders.AUTHORIZATION);
        }
        return builder.build();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(bytes), 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
