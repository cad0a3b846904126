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
 * (port 8080 when the variable is unset).
 */
public final class HealthProbe {

    private HealthProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        String port = System.getenv().getOrDefault("TAMER_HTTP_PORT", "8080");
        URI uri = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:" + port + "/health/readiness");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2))
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
}
