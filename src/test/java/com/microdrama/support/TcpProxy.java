package com.microdrama.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A plain TCP forwarder in front of a real server that a test can cut and restore on the same port: the server
 * itself stays up for the other tests. Two kinds of fault: {@link #cut()} resets (every connection dropped, new
 * ones refused), {@link #blackhole()} goes silent (connections stay open and new ones are accepted, but nothing is
 * forwarded either way, as when a network path drops packets); {@link #restore()} ends either. A cut can also wait
 * for one request to pass ({@link #cutDuring}), for an outage at an exact step of what the app does.
 */
public final class TcpProxy {

    private final String host;
    private final int upstreamPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile boolean silent;
    private final AtomicReference<String> cutMarker = new AtomicReference<>();
    private volatile long cutAfterBytes;
    private volatile int port;

    public TcpProxy(String host, int upstreamPort) {
        this.host = host;
        this.upstreamPort = upstreamPort;
    }

    /** Listens on this port rather than a free one (before {@link #start()}): for processes started apart. */
    public TcpProxy listenOn(int port) {
        this.port = port;
        return this;
    }

    public synchronized TcpProxy start() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = socket;
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
        Thread acceptor = new Thread(() -> accept(server), "tcp-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    public int port() {
        return port;
    }

    /** The outage: the listening socket and every forwarded connection are closed. */
    public synchronized void cut() {
        closeQuietly(server);
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    /** The silent outage: bytes are swallowed in both directions, no connection is closed or refused. */
    public synchronized void blackhole() {
        silent = true;
    }

    /**
     * Arms a cut: the next request whose bytes contain {@code marker} (for example {@code "GET /bucket/key HTTP"},
     * one object read) is forwarded, {@code responseBytes} of its answer reach the client, then the proxy
     * {@link #cut()}s. Test hook; requests are matched per chunk read, which holds a whole request head in practice.
     */
    public void cutDuring(String marker, long responseBytes) {
        cutAfterBytes = responseBytes;
        cutMarker.set(marker);
    }

    public synchronized void restore() {
        cutMarker.set(null);
        if (silent) {
            // A connection that lost bytes cannot be trusted again: the client has to open a new one.
            silent = false;
            open.forEach(TcpProxy::closeQuietly);
            open.clear();
            held.forEach(TcpProxy::closeQuietly);
            held.clear();
        }
        if (server == null || server.isClosed()) {
            start();
        }
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                connect(listening, client);
            } catch (IOException closed) {
                return;
            }
        }
    }

    /**
     * Registered under the lock {@link #cut()} takes: a connection accepted just before a cut would otherwise escape
     * it (not yet in {@code open}) and carry a retried request through the outage.
     */
    private synchronized void connect(ServerSocket listening, Socket client) {
        if (listening.isClosed()) {
            closeQuietly(client);
            return;
        }
        if (silent) {
            held.add(client);
            return;
        }
        Socket upstream;
        try {
            upstream = new Socket(host, upstreamPort);
        } catch (IOException serverDown) {
            // As the client would find the server itself: reset, and the proxy goes on accepting.
            closeQuietly(client);
            return;
        }
        open.add(client);
        open.add(upstream);
        // This connection's answer bytes left before an armed cut (-1: none armed on it).
        AtomicLong cutIn = new AtomicLong(-1);
        pump(client, upstream, true, cutIn);
        pump(upstream, client, false, cutIn);
    }

    private void pump(Socket from, Socket to, boolean requests, AtomicLong cutIn) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[16384];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (silent) {
                        continue;
                    }
                    if (requests) {
                        arm(buffer, read, cutIn);
                    } else if (cutIn.get() >= 0 && cutIn.get() < read) {
                        out.write(buffer, 0, (int) cutIn.get());
                        out.flush();
                        cut();
                        return;
                    } else if (cutIn.get() >= 0) {
                        cutIn.addAndGet(-read);
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void arm(byte[] request, int length, AtomicLong cutIn) {
        String marker = cutMarker.get();
        if (marker != null && new String(request, 0, length, StandardCharsets.ISO_8859_1).contains(marker)
                && cutMarker.compareAndSet(marker, null)) {
            cutIn.set(cutAfterBytes);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException ignored) {
            // already closed
        }
    }
}
