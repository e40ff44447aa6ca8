package com.microdrama.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A plain TCP forwarder in front of a real server that a test can cut and restore on the same port: the server
 * itself stays up for the other tests. Two kinds of fault: {@link #cut()} resets (every connection dropped, new
 * ones refused), {@link #blackhole()} goes silent (connections stay open and new ones are accepted, but nothing is
 * forwarded either way, as when a network path drops packets); {@link #restore()} ends either.
 */
public final class TcpProxy {

    private final String host;
    private final int upstreamPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile boolean silent;
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

    public synchronized void restore() {
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
                if (silent) {
                    held.add(client);
                    continue;
                }
                Socket upstream = new Socket(host, upstreamPort);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[16384];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (!silent) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
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
