package org.tamer.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.health.HealthProbe;
import org.tamer.gateway.testing.TestCertificates;

/**
 * The whole gateway in this JVM (real model, H2 store, no MLLP) serving HTTPS on its HTTP port with a key store made
 * by keytool for {@code localhost}: a client checking the certificate connects by that name and is refused by
 * address (127.0.0.1 is not in the certificate). Every route the running server has, as its router lists them,
 * is asked anonymously: all answer 401 except the probes, the FHIR capability statement and the public JWKS;
 * only health and prometheus are enabled among Micronaut's management endpoints; health details and metrics need
 * the operations scope.
 */
class ManagementSurfaceTest {

    /**
     * Paths that answer without a token, and why: probes, SMART's open capability statement, public keys, and the
     * operator console's static page (its data comes from /admin with a token).
     */
    private static final Set<String> OPEN = Set.of("GET /health/liveness", "GET /health/readiness",
            "GET /fhir/metadata", "GET /.well-known/jwks.json", "GET /console");

    @TempDir
    static Path directory;

    private static ApplicationContext context;
    private static int port;
    private static HttpClient https;
    private static DevelopmentKey key;
    private static Path serverKeys;
    private static Path otherKeys;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates certificates = new TestCertificates(directory);
        Path server = certificates.keyStore("gateway", "localhost", "dns:localhost");
        serverKeys = server;
        otherKeys = certificates.keyStore("other-gateway", "localhost", "dns:localhost");
        Path trust = certificates.trustStore("clients-trust", server);
        port = freePort();
        Path root = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.port", port);
        settings.put("micronaut.server.ssl.enabled", true);
        settings.put("micronaut.server.ssl.port", port);
        settings.put("micronaut.server.ssl.key-store.path", "file:" + server);
        settings.put("micronaut.server.ssl.key-store.password", TestCertificates.PASSWORD);
        settings.put("micronaut.server.ssl.key-store.type", "PKCS12");
        settings.put("datasources.default.url", "jdbc:h2:file:" + directory.resolve("store") + ";MODE=PostgreSQL;"
                + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        settings.put("tamer.mllp.enabled", false);
        settings.put("tamer.work-dir", directory.resolve("work").toString());
        settings.put("tamer.model.bundle", root.resolve("models/tamer-ptbxl-default").toString());
        settings.put("tamer.model.reload-interval", "1h");
        context = ApplicationContext.builder().properties(settings).start();
        context.getBean(EmbeddedServer.class).start();
        https = HttpClient.newBuilder().sslContext(TestCertificates.context(null, trust))
                .connectTimeout(Duration.ofSeconds(20)).build();
        key = DevelopmentKey.loadOrCreate(directory.resolve("work"));
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    private static HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60)).method(method, method.equals("GET") || method.equals("HEAD")
                        || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        if (!method.equals("GET") && !method.equals("HEAD")) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every route of the running server, as {@code METHOD /path} with its variables filled in. */
    private static List<String> routes() {
        Set<String> routes = new java.util.LinkedHashSet<>();
        context.getBean(Router.class).uriRoutes().forEach((UriRouteInfo<?, ?> route) -> {
            Map<String, Object> values = new HashMap<>();
            route.getUriMatchTemplate().getVariableNames().forEach(name -> values.put(name, "1"));
            String path = route.getUriMatchTemplate().expand(values);
            routes.add(route.getHttpMethodName() + " " + path);
        });
        return List.copyOf(routes);
    }

    @Test
    void everyRouteButTheOpenOnesRefusesAnAnonymousCaller() throws Exception {
        List<String> routes = routes();
        assertTrue(routes.size() >= 10, "the router lists the gateway's routes: " + routes);
        List<String> failures = new ArrayList<>();
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1);
            String withoutQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            int status = send(method, path, null).statusCode();
            boolean open = OPEN.contains((method.equals("HEAD") ? "GET" : method) + " " + withoutQuery);
            if (open ? status == 401 : status != 401) {
                failures.add(route + " -> " + status);
            }
        }
        assertEquals(List.of(), failures, "anonymous answers of " + routes);
    }

    @Test
    void theConsolePageIsStaticAndItsDataNeedsAToken() throws Exception {
        HttpResponse<String> page = send("GET", "/console/index.html", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<html") || page.body().contains("<!DOCTYPE"), page.body());
        assertEquals(401, send("POST", "/console/index.html", null).statusCode());
        assertEquals(401, send("GET", "/admin/status", null).statusCode());
    }

    @Test
    void onlyHealthAndPrometheusAreEnabledAmongTheManagementEndpoints() {
        Set<String> management = new TreeSet<>();
        for (String route : routes()) {
            String path = route.substring(route.indexOf(' ') + 1);
            if (!path.startsWith("/fhir") && !path.startsWith("/admin") && !path.startsWith("/upload")
                    && !path.startsWith("/.well-known") && !path.startsWith("/console")) {
                management.add(path.split("/")[1].split("\\?")[0]);
            }
        }
        assertEquals(Set.of("health", "prometheus"), management);
    }

    @Test
    void probesAnswerAnonymouslyWithoutDetails() throws Exception {
        for (String probe : List.of("/health/liveness", "/health/readiness")) {
            HttpResponse<String> response = send("GET", probe, null);
            assertEquals(200, response.statusCode(), probe + ": " + response.body());
            assertTrue(response.body().contains("\"status\":\"UP\""), response.body());
            assertFalse(response.body().contains("details"), probe + " shows details: " + response.body());
            assertFalse(response.body().contains("jdbc"), response.body());
        }
    }

    @Test
    void healthDetailsAndMetricsNeedTheOperationsScope() throws Exception {
        String operator = key.token("ops", Scopes.OPERATIONS, Duration.ofMinutes(5));
        HttpResponse<String> health = send("GET", "/health", operator);
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("details"), health.body());
        HttpResponse<String> metrics = send("GET", "/prometheus", operator);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("tamer_store_depth_parsed"), "the gateway's gauges are exported");

        String admin = key.token("admin", Scopes.ADMIN + " system/Observation.cruds", Duration.ofMinutes(5));
        assertEquals(403, send("GET", "/prometheus", admin).statusCode());
        assertEquals(401, send("GET", "/health", "not-a-token").statusCode());
        String tooLong = key.token("ops", Scopes.OPERATIONS, Duration.ofHours(2));
        HttpResponse<String> refused = send("GET", "/prometheus", tooLong);
        assertEquals(401, refused.statusCode(), "a token valid for longer than the cap is refused");
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").contains("longer than"));
    }

    @Test
    void stateChangingEndpointsAreOff() throws Exception {
        String operator = key.token("ops", Scopes.OPERATIONS, Duration.ofMinutes(5));
        assertEquals(401, send("POST", "/refresh", null).statusCode());
        assertEquals(404, send("POST", "/refresh", operator).statusCode(), "refresh is not enabled");
        assertEquals(404, send("POST", "/loggers/ROOT", operator).statusCode(), "loggers are not enabled");
        assertEquals(404, send("GET", "/threaddump", operator).statusCode());
    }

    @Test
    void theCertificateIsCheckedAgainstTheHostName() {
        IOException e = assertThrows(IOException.class, () -> https.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + port + "/health/liveness")).timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertTrue(e instanceof SSLHandshakeException || e.getCause() instanceof SSLHandshakeException,
                e.toString());
        assertTrue(String.valueOf(e.getMessage()).contains("No subject alternative names matching IP address "
                + "127.0.0.1"), "the error names the host name problem: " + e);
    }

    /** The container's HEALTHCHECK probe over HTTPS trusts exactly the gateway's own certificate. */
    @Test
    void theHealthProbeWorksOverHttpsWithTheGatewaysOwnCertificateOnly() {
        Map<String, String> environment = new HashMap<>();
        environment.put("TAMER_HTTP_PORT", Integer.toString(port));
        environment.put("TAMER_HEALTH_TIMEOUT", "30");
        environment.put("MICRONAUT_SERVER_SSL_ENABLED", "true");
        environment.put("MICRONAUT_SERVER_SSL_KEY_STORE_PATH", "file:" + serverKeys);
        environment.put("MICRONAUT_SERVER_SSL_KEY_STORE_PASSWORD", TestCertificates.PASSWORD);
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = new java.io.PrintStream(errors, true, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, HealthProbe.run(environment, new String[0], err), errors.toString());

        environment.put("MICRONAUT_SERVER_SSL_KEY_STORE_PATH", otherKeys.toString());
        assertEquals(1, HealthProbe.run(environment, new String[0], err), "another certificate for the same name "
                + "is not the gateway's");
        assertTrue(errors.toString().contains("SSLHandshakeException"), errors.toString());

        environment.put("MICRONAUT_SERVER_SSL_ENABLED", "false");
        assertEquals(1, HealthProbe.run(environment, new String[0], err), "plain http is not served");
    }

    @Test
    void plainHttpIsNotServedOnTheHttpsPort() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/health/liveness")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
