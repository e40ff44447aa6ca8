import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import io.netty.channel.EventLoop;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Constant-rate ("open-loop") load for the latency-at-half-load figures (lib.sh's rate_load runs it): request i is
 * due at start + i / rate whatever the answers before it did, and is timed from when it was due, so a slow answer
 * counts for every request that waited behind it (no coordinated omission). One Vert.x event loop, CONNECTIONS
 * kept-alive HTTP/1.1 connections; a request due while all are busy waits in the client's queue, its wait counted.
 * <p>
 * Why not autocannon or Node's http (tried before): both, measured against nginx serving a static file on this
 * machine at 2,500 req/s, reported p99s of 92–879 ms of their own; this one reports nginx's p99 in single
 * milliseconds (lib.sh checks it against nginx in the same run: rate_check).
 * <pre>
 * java -cp CLASSES:VERTX_JARS RateLoad URL RATE SECONDS CONNECTIONS [--warmup SECONDS] [-H 'Name: value']...
 *      [--tokens FILE] [--paths FILE] [--requests FILE] [--method M] [--body-file F] [--timeline FILE]
 * </pre>
 * --warmup: runs at the rate that long first, not recorded (this JVM's JIT and the server's). --tokens: one bearer
 * token a line, sent in turn; --paths: one path a line, in turn; --requests: one "path TAB token" line a request;
 * --timeline: writes the latencies per 100 ms of the run into FILE.
 * Prints "achieved_req_per_s p99_ms p50_ms"; exits 1 on any non-2xx answer, error or unanswered request.
 */
public class RateLoad {
    /** The shortest sleep between two sends: requests due closer together than this go out together. */
    private static final long TICK_NANOS = 50_000;
    private static final long DRAIN_SECONDS = 10;

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            usage();
        }
        URI url = URI.create(args[0]);
        double rate = Double.parseDouble(args[1]);
        double seconds = Double.parseDouble(args[2]);
        int connections = Integer.parseInt(args[3]);
        double warmup = 0;
        List<String[]> headers = new ArrayList<>();
        List<String> tokens = List.of("");
        List<String> paths = List.of(url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
        List<String[]> pairs = null;
        HttpMethod method = HttpMethod.GET;
        Buffer body = null;
        Path timeline = null;
        for (int i = 4; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage();
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--warmup" -> warmup = Double.parseDouble(value);
                case "-H" -> headers.add(new String[] {value.substring(0, value.indexOf(':')).trim(),
                        value.substring(value.indexOf(':') + 1).trim()});
                case "--tokens" -> tokens = lines(value);
                case "--paths" -> paths = lines(value);
                case "--requests" -> pairs = lines(value).stream().map(l -> l.split("\t", 2)).toList();
                case "--method" -> method = HttpMethod.valueOf(value);
                case "--body-file" -> body = Buffer.buffer(Files.readAllBytes(Path.of(value)));
                case "--timeline" -> timeline = Path.of(value);
                default -> usage();
            }
        }
        if (!(rate > 0) || !(seconds > 0) || connections < 1) {
            usage();
        }

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            System.err.println("warning: no native transport (" + vertx.unavailableNativeTransportCause()
                    + "): scheduled sends wake to the millisecond only");
        }
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                        .setDefaultHost(url.getHost())
                        .setDefaultPort(url.getPort() > 0 ? url.getPort() : 80)
                        .setKeepAlive(true)
                        .setPipelining(false)
                        .setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        Context context = vertx.getOrCreateContext();

        long warmupCount = Math.round(warmup * rate);
        long total = warmupCount + Math.round(seconds * rate);
        long[] latencies = new long[(int) (total - warmupCount)];
        long[] problems = new long[3]; // non-2xx, errors, answered
        StringBuilder firstProblem = new StringBuilder();
        CountDownLatch done = new CountDownLatch(1);
        final List<String> tokenList = tokens;
        final List<String> pathList = paths;
        final List<String[]> pairList = pairs;
        final HttpMethod requestMethod = method;
        final Buffer requestBody = body;

        long start = System.nanoTime();
        long measuredFrom = start + (long) (warmupCount * 1e9 / rate);
        long[] lastAnswer = new long[1];
        // Every send, answer and count happens on the one event loop.
        long[] sent = new long[1];
        Runnable sendDue = () -> {
            long now = System.nanoTime();
            while (sent[0] < total) {
                long i = sent[0];
                long due = start + (long) (i * 1e9 / rate);
                if (due > now) {
                    break;
                }
                sent[0]++;
                String path;
                String token;
                if (pairList != null) {
                    String[] pair = pairList.get((int) (i % pairList.size()));
                    path = pair[0];
                    token = pair.length > 1 ? pair[1] : "";
                } else {
                    path = pathList.get((int) (i % pathList.size()));
                    token = tokenList.get((int) (i % tokenList.size()));
                }
                RequestOptions options = new RequestOptions().setMethod(requestMethod).setURI(path)
                        .setIdleTimeout(DRAIN_SECONDS * 1000);
                for (String[] header : headers) {
                    options.addHeader(header[0], header[1]);
                }
                if (!token.isEmpty()) {
                    options.addHeader("Authorization", "Bearer " + token);
                }
                client.request(options)
                        .compose(request -> requestBody == null ? request.send() : request.send(requestBody))
                        .compose(response -> response.body().map(b -> response.statusCode()))
                        .onComplete(result -> {
                            long answered = System.nanoTime();
                            long latency = answered - due;
                            if (result.failed()) {
                                problems[1]++;
                                if (firstProblem.isEmpty()) {
                                    firstProblem.append(result.cause());
                                }
                            } else if (result.result() < 200 || result.result() > 299) {
                                problems[0]++;
                                if (firstProblem.isEmpty()) {
                                    firstProblem.append("status ").append(result.result()).append(" for ").append(path);
                                }
                            }
                            if (i >= warmupCount) {
                                latencies[(int) (i - warmupCount)] = latency;
                                lastAnswer[0] = Math.max(lastAnswer[0], answered);
                            }
                            if (++problems[2] == total) {
                                done.countDown();
                            }
                        });
            }
        };
        // The event loop sends what is due, then sleeps until the next request is due: with the native (epoll)
        // transport a scheduled task wakes it within microseconds, and no other thread has to wake it.
        EventLoop loop = ((ContextInternal) context).nettyEventLoop();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            sendDue.run();
            if (sent[0] < total) {
                long next = start + (long) (sent[0] * 1e9 / rate);
                loop.schedule(tick[0], Math.max(next - System.nanoTime(), TICK_NANOS), TimeUnit.NANOSECONDS);
            }
        };
        context.runOnContext(v -> tick[0].run());

        long lastDue = start + (long) ((total - 1) * 1e9 / rate);
        boolean finished = done.await(lastDue - System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS), TimeUnit.NANOSECONDS);
        long[] counts = new long[4];
        long[] sorted = new long[latencies.length];
        CountDownLatch copied = new CountDownLatch(1);
        context.runOnContext(v -> {
            System.arraycopy(problems, 0, counts, 0, 3);
            counts[3] = lastAnswer[0];
            System.arraycopy(latencies, 0, sorted, 0, latencies.length);
            copied.countDown();
        });
        copied.await();
        vertx.close();

        long unanswered = total - counts[2];
        if (!finished || counts[0] > 0 || counts[1] > 0) {
            System.err.printf("%s: %d non-2xx answers, %d errors, %d unanswered after %d s (first: %s)%n",
                    url, counts[0], counts[1], unanswered, DRAIN_SECONDS, firstProblem);
            System.exit(1);
        }
        if (timeline != null) {
            writeTimeline(timeline, sorted, rate);
        }
        Arrays.sort(sorted);
        // Answers over the time from the first measured request's due time to the last answer.
        double achieved = sorted.length / ((counts[3] - measuredFrom) / 1e9 + 1 / rate);
        if (achieved < 0.9 * rate) {
            System.err.printf("warning: %s held %.0f req/s of the %.0f asked%n", url, achieved, rate);
        }
        System.out.printf("%.1f %.3f %.3f%n", achieved, percentile(sorted, 0.99) / 1e6, percentile(sorted, 0.50) / 1e6);
        System.exit(0);
    }

    /**
     * Per 100 ms of the measured schedule (by when requests were due): how many, their p50, p99 and worst latency in
     * ms, tab-separated; shows whether a tail is spread evenly or made by stalls.
     */
    private static void writeTimeline(Path file, long[] latencies, double rate) throws Exception {
        int perSlice = (int) Math.max(1, Math.round(rate / 10));
        StringBuilder out = new StringBuilder("at_s\trequests\tp50_ms\tp99_ms\tmax_ms\n");
        for (int from = 0; from < latencies.length; from += perSlice) {
            long[] slice = Arrays.copyOfRange(latencies, from, Math.min(latencies.length, from + perSlice));
            Arrays.sort(slice);
            out.append(String.format("%.1f\t%d\t%.2f\t%.2f\t%.2f%n", from / rate, slice.length,
                    percentile(slice, 0.5) / 1e6, percentile(slice, 0.99) / 1e6, slice[slice.length - 1] / 1e6));
        }
        Files.writeString(file, out);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    private static List<String> lines(String file) throws Exception {
        List<String> all = Files.readAllLines(Path.of(file)).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (all.isEmpty()) {
            System.err.println(file + " is empty");
            System.exit(2);
        }
        return all;
    }

    private static void usage() {
        System.err.println("usage: RateLoad URL RATE SECONDS CONNECTIONS [--warmup S] [-H 'Name: value']... "
                + "[--tokens FILE] [--paths FILE] [--requests FILE] [--method M] [--body-file F]");
        System.exit(2);
    }
}
