package org.tamer.gateway.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The container health check: exits 0 when the gateway's readiness endpoint answers 200, 1 otherwise, so that an
 * image needs no curl or wget. Without an argument it asks {@code /health/readiness} on 127.0.0.1 at
 * {@code $TAMER_HTTP_PORT} (8080 when unset): over plain http, or over https when the gateway serves HTTPS
 * ({@code MICRONAUT_SERVER_SSL_ENABLED=true}). Over https the probe trusts exactly the certificate in the gateway's
 * own key store ({@code MICRONAUT_SERVER_SSL_KEY_STORE_PATH}, {@code _PASSWORD}, {@code _TYPE}) and nothing else:
 * the certificate names the gateway's public host name, not 127.0.0.1, so instead of a host name check the peer must
 * present that very certificate. {@code TAMER_HEALTH_TIMEOUT} (seconds, default 2: inside the image's HEALTHCHECK
 * timeout of 3 s) bounds the connection and the answer.
 */
public final class HealthProbe {

    private HealthProbe() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), args, System.err));
    }

    /**
     * Probes once.
     *
     * @param environment the variables named above
     * @param args        optionally the URL to ask
     * @return 0 healthy, 1 unhealthy or unreachable, 2 misconfigured
     */
    public static int run(Map<String, String> environment, String[] args, PrintStream err) {
        Optional<Duration> timeout = timeout(environment.getOrDefault("TAMER_HEALTH_TIMEOUT", "2"));
        if (timeout.isEmpty()) {
            err.println("TAMER_HEALTH_TIMEOUT must be whole seconds from 1 to 300, not '"
                    + environment.get("TAMER_HEALTH_TIMEOUT") + "'");
            return 2;
        }
        boolean https = Boolean.parseBoolean(environment.getOrDefault("MICRONAUT_SERVER_SSL_ENABLED", "false")
                .trim());
        String port = environment.getOrDefault("TAMER_HTTP_PORT", "8080").trim();
        URI uri = URI.create(args.length > 0 ? args[0]
                : (https ? "https" : "http") + "://127.0.0.1:" + port + "/health/readiness");
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            if (connection instanceof HttpsURLConnection secure) {
                List<Certificate> own = ownCertificates(environment);
                secure.setSSLSocketFactory(pinnedContext(own).getSocketFactory());
                secure.setHostnameVerifier((host, session) -> {
                    try {
                        return own.contains(session.getPeerCertificates()[0]);
                    } catch (SSLPeerUnverifiedException e) {
                        return false;
                    }
                });
            }
            int millis = (int) timeout.get().toMillis();
            connection.setConnectTimeout(millis);
            connection.setReadTimeout(millis);
            connection.setInstanceFollowRedirects(false);
            int status = connection.getResponseCode();
            if (status != 200) {
                try (InputStream body = connection.getErrorStream()) {
                    String text = body == null ? "" : new String(body.readNBytes(2048), StandardCharsets.UTF_8);
                    err.println(uri + ": " + status + " " + text);
                }
                return 1;
            }
            connection.getInputStream().close();
            return 0;
        } catch (IOException e) {
            err.println(uri + ": " + e);
            return 1;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            err.println(uri + ": cannot set up the https probe: " + e.getMessage());
            return 2;
        }
    }

    /** The certificates of the gateway's own HTTPS key store. */
    private static List<Certificate> ownCertificates(Map<String, String> environment) throws IOException,
            GeneralSecurityException {
        String location = environment.getOrDefault("MICRONAUT_SERVER_SSL_KEY_STORE_PATH", "").trim();
        if (location.isEmpty()) {
            throw new IllegalArgumentException("MICRONAUT_SERVER_SSL_KEY_STORE_PATH is not set; the probe trusts "
                    + "only the gateway's own certificate");
        }
        Path file = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
        KeyStore store = KeyStore.getInstance(environment.getOrDefault("MICRONAUT_SERVER_SSL_KEY_STORE_TYPE",
                "PKCS12").trim());
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, environment.getOrDefault("MICRONAUT_SERVER_SSL_KEY_STORE_PASSWORD", "").toCharArray());
        }
        List<Certificate> certificates = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias) && store.getCertificate(alias) != null) {
                certificates.add(store.getCertificate(alias));
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no key entry with a certificate");
        }
        return certificates;
    }

    /** TLS that trusts only {@code certificates}. */
    private static SSLContext pinnedContext(List<Certificate> certificates) throws IOException,
            GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < certificates.size(); i++) {
            trusted.setCertificateEntry("gateway-" + i, certificates.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static Optional<Duration> timeout(String seconds) {
        try {
            int value = Integer.parseInt(seconds.trim());
            if (value > 0 && value <= 300) {
                return Optional.of(Duration.ofSeconds(value));
            }
        } catch (NumberFormatException e) {
            // reported by the caller
        }
        return Optional.empty();
    }
}
