package com.microdrama.core.storage;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.minio.BucketExistsArgs;
import io.minio.MinioAsyncClient;
import io.minio.errors.ErrorResponseException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Puts the bucket's CORS rules (S3's PutBucketCors), so web players on the allowed origins can fetch segments and
 * posters from signed storage URLs. The MinIO SDK has no call for it; its signed request machinery is reached
 * through a subclass. Stores without per-bucket CORS (MinIO, S3Proxy) answer NotImplemented: they are configured
 * on the server instead (MINIO_API_CORS_ALLOW_ORIGIN in deploy/, s3proxy.cors-* in scripts/services.sh).
 */
final class BucketCors extends MinioAsyncClient {

    BucketCors(MinioAsyncClient client) {
        super(client);
    }

    /** True when the store took the rules, false when it has no bucket CORS API. */
    boolean put(String bucket, List<String> origins) throws Exception {
        byte[] xml = rules(origins).getBytes(StandardCharsets.UTF_8);
        Multimap<String, String> headers = HashMultimap.create();
        headers.put("Content-Type", "application/xml");
        Multimap<String, String> query = HashMultimap.create();
        query.put("cors", "");
        try {
            executePutAsync(BucketExistsArgs.builder().bucket(bucket).build(), headers, query, xml, xml.length)
                    .get().close();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ErrorResponseException refused
                    && "NotImplemented".equals(refused.errorResponse().code())) {
                return false;
            }
            throw e;
        }
    }

    /** GET and HEAD from the players' origins (Range for byte-range segments), ETag and lengths readable. */
    static String rules(List<String> origins) {
        StringBuilder xml = new StringBuilder("<CORSConfiguration><CORSRule>");
        origins.forEach(origin -> xml.append("<AllowedOrigin>").append(escape(origin)).append("</AllowedOrigin>"));
        xml.append("<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>")
                .append("<AllowedHeader>Range</AllowedHeader>")
                .append("<ExposeHeader>ETag</ExposeHeader><ExposeHeader>Content-Length</ExposeHeader>")
                .append("<ExposeHeader>Content-Range</ExposeHeader>")
                .append("<MaxAgeSeconds>7200</MaxAgeSeconds></CORSRule></CORSConfiguration>");
        return xml.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
