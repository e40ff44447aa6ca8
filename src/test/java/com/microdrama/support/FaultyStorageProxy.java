package com.microdrama.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP proxy in front of the real S3 server that can answer chosen uploads with 503 SlowDown, as an
 * overloaded S3 would. Each request gets its own connection (Connection: close), so requests are easy to tell
 * apart without a full HTTP parser.
 */
public class FaultyStorageProxy implements QuarkusTestResourceLifecycleManager {

    private static volatile String failUploadsContaining;
    private static final AtomicInteger failuresLeft = new AtomicInteger();
    private static final AtomicInteger failed = new AtomicInteger();

    private ServerSocket server;

    /** The next {@code times} PUTs whose path contains {@code marker} fail with 503. */
    public static void failUploads(String marker, int times) {
        failUploadsContaining = marker;
        failed.set(0);
        failuresLeft.set(times);
    }

    public static int failedUploads() {
        return failed.get();
    }

    @Override
    public Map<String, String> start() {
        URI upstream = URI.create(System.getenv().getOrDefault("S3_ENDPOINT", "http://127.0.0.1:9100"));
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    new Thread(() -> serve(client, upstream), "storage-proxy").start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "storage-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return Map.of("storage.endpoint", "http://127.0.0.1:" + server.getLocalPort());
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void serve(Socket client, URI upstream) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            long length = contentLength(head);
            byte[] body = in.readNBytes((int) length);
            String marker = failUploadsContaining;
            if (requestLine.startsWith("PUT ") && marker != null && requestLine.contains(marker)
                    && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                failed.incrementAndGet();
                byte[] xml = "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nContent-Length: "
                        + xml.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(xml);
                return;
            }
            String forwarded = head.replaceAll("(?im)^connection:.*\r\n", "")
                    .replaceFirst("\r\n\r\n$", "\r\nConnection: close\r\n\r\n");
            try (Socket up = new Socket(upstream.getHost(), upstream.getPort());
                 OutputStream upOut = up.getOutputStream(); InputStream upIn = up.getInputStream()) {
                upOut.write(forwarded.getBytes(StandardCharsets.ISO_8859_1));
                upOut.write(body);
                upOut.flush();
                upIn.transferTo(out);
            }
        } catch (IOException dropped) {
            // the client or the server went away; nothing to clean up
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).strip());
            }
        }
        return 0;
    }
}
