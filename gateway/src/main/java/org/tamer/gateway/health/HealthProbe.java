package org.tamer.gateway.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The container health check: exits 0 when the gateway's readiness endpoint answers 200, 1 otherwise, so that an
 * image needs no curl or wget. Without an argument it asks {@code http://127.0.0.1:$TAMER_HTTP_PORT/health/readiness}
 * (port 8080 when the variable is unset). {@code TAMER_HEALTH_TIMEOUT} (seconds, default 2: inside the image's
 * HEALTHCHECK timeout of 3 s) bounds the connection and the answer.
 */
public final class HealthProbe {

    private HealthProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        String port = System.getenv().getOrDefault("TAMER_HTTP_PORT", "8080");
        URI uri = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:" + port + "/health/readiness");
        Duration timeout = timeout(System.getenv().getOrDefault("TAMER_HEALTH_TIMEOUT", "2"));
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout)
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                System.err.println(uri + ": " + response.statusCode() + " " + response.body());
                System.exit(1);
            }
        } catch (IOException e) {
            System.err.println(uri + ": " + e);
            System.exit(1);
        }
    }

    private static Duration timeout(String seconds) {
        try {
            int value = Integer.parseInt(seconds.trim());
            if (value > 0 && value <= 300) {
                return Duration.ofSeconds(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println("TAMER_HEALTH_TIMEOUT must be whole seconds from 1 to 300, not '" + seconds + "'");
        System.exit(2);
        return Duration.ZERO;
    }
}
