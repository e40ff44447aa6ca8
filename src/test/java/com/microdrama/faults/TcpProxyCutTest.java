package com.microdrama.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.support.TcpProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The fault tests trust a cut to be an outage: no connection may carry bytes after it. A connection accepted just as
 * the cut came once escaped it and let a retried S3 request through (StorageCutTest failed in CI with a 201).
 */
class TcpProxyCutTest {

    @Test
    void no_connection_opened_around_a_cut_forwards_anything_after_it() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 500, InetAddress.getLoopbackAddress())) {
            Thread echoing = new Thread(() -> echoEach(echo), "echo");
            echoing.setDaemon(true);
            echoing.start();
            int forwarded = 0;
            int opened = 0;
            for (int round = 0; round < 100; round++) {
                TcpProxy proxy = new TcpProxy("127.0.0.1", echo.getLocalPort()).start();
                List<Socket> clients = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean connecting = new AtomicBoolean(true);
                ExecutorService pool = Executors.newFixedThreadPool(8);
                for (int i = 0; i < 8; i++) {
                    pool.submit(() -> {
                        while (connecting.get()) {
                            try {
                                Socket client = new Socket();
                                clients.add(client);
                                // A full backlog drops the handshake and the kernel retries after a second.
                                client.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 50);
                            } catch (IOException refused) {
                                // after the cut
                            }
                        }
                    });
                }
                Thread.sleep(3);
                proxy.cut();
                connecting.set(false);
                pool.shutdown();
                assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
                opened += clients.size();
                for (Socket client : clients) {
                    forwarded += echoes(client) ? 1 : 0;
                }
            }
            assertThat(opened).as("connections tried around the cuts").isPositive();
            assertThat(forwarded).as("connections still forwarding after their proxy's cut").isZero();
        }
    }

    private static boolean echoes(Socket client) {
        try (client) {
            client.setSoTimeout(200);
            client.getOutputStream().write(7);
            client.getOutputStream().flush();
            return client.getInputStream().read() == 7;
        } catch (IOException closed) {
            return false;
        }
    }

    private static void echoEach(ServerSocket echo) {
        while (!echo.isClosed()) {
            try {
                Socket server = echo.accept();
                Thread echoer = new Thread(() -> {
                    try (server) {
                        server.getInputStream().transferTo(server.getOutputStream());
                    } catch (IOException gone) {
                        // the proxy closed it
                    }
                }, "echo");
                echoer.setDaemon(true);
                echoer.start();
            } catch (IOException closed) {
                return;
            }
        }
    }
}
