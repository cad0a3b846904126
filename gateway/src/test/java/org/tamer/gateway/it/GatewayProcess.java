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

    /** Client timeouts of every HTTP request the ITs make: they bound a hang, not the work. */
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(60);

    /** An HTTP client whose connections time out (each request sets {@link #HTTP_TIMEOUT} too). */
    static HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
    }

    static GatewayProcess start(String name, Postgres db, Map<String, String> settings) throws Exception {
        return start(name, db, settings, 1);
    }

    /**
     * Starts a gateway that shares the machine's cores with {@code sharing - 1} others started alike: each gets
     * its share of PyTorch threads, or their thread pools fight over the cores (docs/gateway.md, Performance).
     */
    static GatewayProcess start(String name, Postgres db, Map<String, String> settings, int sharing)
            throws Exception {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / sharing);
        int mllp = freePort();
        int http = freePort();
        Path root = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        Path log = logs.resolve(name + ".log");
        Path data = Files.createDirectories(Path.of("target", "it-data", db.name));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dai.djl.offline=true", "-Xss4m", "-Xmx2g",
                "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
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
        // a SIGKILLed gateway's leases must end for the other to take its work over; deliveries renew theirs
        env.put("TAMER_STORE_LEASE", "45s");
        env.put("TAMER_FHIR_TIMEOUT", "20s");
        env.put("TAMER_STORE_CLAIM_SIZE", "8");
        env.put("TAMER_STORE_POLL_INTERVAL", "100ms");
        env.put("TAMER_STORE_RETRY_BASE", "300ms");
        env.put("TAMER_STORE_RETRY_MAX", "2s");
        env.put("TAMER_STORE_MAX_ATTEMPTS", "1000");
        env.put("TAMER_MODEL_RELOAD_INTERVAL", "1h");
        env.put("TAMER_FHIR_ALLOW_PLAINTEXT", "true");       // the test FHIR servers are plain http on loopback
        // OpenMP (PyTorch's intra-op pool) and MKL size their pools by the cores, not by the threads DJL is given
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        env.put("MKL_NUM_THREADS", Integer.toString(threads));
        env.putAll(settings);
        GatewayProcess gateway = new GatewayProcess(builder.start(), mllp, http, log);
        gateway.awaitReady();
        return gateway;
    }

    /** Waits while the gateway starts (its log grows); fails when it exits or its log stands still for 3 min. */
    private void awaitReady() throws Exception {
        HttpClient client = httpClient();
        ProgressWait.until("gateway readiness (see " + log + ")", () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited with " + process.exitValue() + "; see " + log);
            }
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/health/readiness")).timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200;
            } catch (IOException e) {
                return false; // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }, () -> log.toFile().length(), Duration.ofMinutes(3));
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, then the wait goes on while the gateway's log grows; SIGKILL after 2 minutes without a line. */
    @Override
    public void close() {
        process.destroy();
        try {
            try {
                ProgressWait.until("the gateway stopping on SIGTERM", () -> !process.isAlive(),
                        () -> log.toFile().length(), Duration.ofMinutes(2));
            } catch (AssertionError stalled) {
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
