package org.tamer.gateway.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The gateway as a separate JVM, as in production, so that a test can SIGKILL it. */
final class GatewayProcess implements AutoCloseable {

    final int mllpPort;
    final int httpPort;
    private final Process process;
    private final Path log;

    private GatewayProcess(Process process, int mllpPort, int httpPort, Path log) {
        this.process = process;
        this.mllpPort = mllpPort;
        this.httpPort = httpPort;
        this.log = log;
    }

    static GatewayProcess start(String name, Postgres db, Map<String, String> settings) throws Exception {
        int mllp = freePort();
        int http = freePort();
        Path root = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        Path log = logs.resolve(name + ".log");
        Path data = Files.createDirectories(Path.of("target", "it-data", db.name));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dai.djl.offline=true", "-Xss4m", "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                "org.tamer.gateway.Application"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("TAMER_STORE_URL", db.url());
        env.put("TAMER_STORE_USERNAME", Postgres.USER);
        env.put("TAMER_STORE_PASSWORD", "");
        env.put("TAMER_MLLP_PORT", Integer.toString(mllp));
        env.put("TAMER_HTTP_PORT", Integer.toString(http));
        env.put("TAMER_MODEL_BUNDLE", root.resolve("models/tamer-ptbxl-default").toString());
        env.put("TAMER_WORK_DIR", data.toAbsolutePath().toString());
        env.put("TAMER_STORE_LEASE", "30s");
        env.put("TAMER_STORE_CLAIM_SIZE", "8");
        env.put("TAMER_STORE_POLL_INTERVAL", "100ms");
        env.put("TAMER_STORE_RETRY_BASE", "300ms");
        env.put("TAMER_STORE_RETRY_MAX", "2s");
        env.put("TAMER_STORE_MAX_ATTEMPTS", "1000");
        env.put("TAMER_MODEL_RELOAD_INTERVAL", "1h");
        env.put("TAMER_FHIR_ALLOW_PLAINTEXT", "true");       // the test FHIR servers are plain http on loopback
        env.putAll(settings);
        GatewayProcess gateway = new GatewayProcess(builder.start(), mllp, http, log);
        gateway.awaitReady(Duration.ofMinutes(3));
        return gateway;
    }

    private void awaitReady(Duration timeout) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("gateway not ready within " + timeout + "; see " + log);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
