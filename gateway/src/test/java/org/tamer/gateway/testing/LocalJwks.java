package org.tamer.gateway.testing;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An authorization server's JWKS endpoint on a loopback port (the JDK's HTTP server): serves the public half of a
 * key set at {@code /jwks.json}, each answer after {@code delay} (an authorization server slow to answer), and
 * counts the fetches.
 */
public final class LocalJwks implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();

    public LocalJwks(JWKSet keys) throws IOException {
        this(keys, Duration.ZERO);
    }

    public LocalJwks(JWKSet keys, Duration delay) throws IOException {
        byte[] body = keys.toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            try {
                Thread.sleep(delay.toMillis()); // the slow server itself, not a wait of the test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    public int fetches() {
        return fetches.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
