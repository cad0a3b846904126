package org.tamer.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.security.DevelopmentKey;

/**
 * Docker cannot run here, so this runs what the CPU image runs, directly: {@code deploy/entrypoint.sh} with
 * {@code TAMER_HOME} holding the gateway jar and exactly the runtime libraries the image's copy-dependencies step
 * resolves, the environment of the Dockerfile's {@code ENV} instruction (paths under {@code /opt/tamer} and
 * {@code /var/lib/tamer} moved to this checkout and a temporary folder; ports moved to free ones), in the image's
 * working directory. The Dockerfile's HEALTHCHECK command must report healthy, the Kubernetes probe paths answer,
 * a real PTB-XL ECG sent over MLLP is acknowledged and diagnosed, and SIGTERM stops the gateway cleanly.
 */
class EntrypointIT {

    @TempDir
    Path varLibTamer;

    @Test
    void theImageEntrypointStartsAWorkingGateway() throws Exception {
        Path root = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        Path home = linkImageLibraries(root);
        String dockerfile = Files.readString(root.resolve("deploy/Dockerfile"));
        Map<String, String> imageEnvironment = environment(dockerfile);
        assertTrue(imageEnvironment.containsKey("TAMER_MODEL_BUNDLE") && imageEnvironment.containsKey("TAMER_STORE_URL"),
                imageEnvironment.toString());

        int mllp = GatewayProcess.freePort();
        int http = GatewayProcess.freePort();
        Files.deleteIfExists(logFile("entrypoint.log").toPath());
        ProcessBuilder builder = new ProcessBuilder(root.resolve("deploy/entrypoint.sh").toString())
                .directory(varLibTamer.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile("entrypoint.log")));
        Map<String, String> env = builder.environment();
        imageEnvironment.forEach((name, value) -> env.put(name, inThisCheckout(value, root)));
        env.put("TAMER_HOME", home.toString());
        env.put("TAMER_MLLP_PORT", Integer.toString(mllp));
        env.put("TAMER_HTTP_PORT", Integer.toString(http));
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        // one PyTorch thread: this gateway shares the machine with the test JVM and whatever else runs
        env.put("TAMER_JAVA_OPTS", "-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1");
        env.put("OMP_NUM_THREADS", "1");
        env.put("MKL_NUM_THREADS", "1");
        // the allocator is the entry point's choice (bin/tamer-java), not inherited from this JVM
        env.remove("LD_PRELOAD");
        env.remove("MALLOC_CONF");
        env.remove("GLIBC_TUNABLES");
        Process gateway = builder.start();
        try {
            List<String> healthCheck = healthCheck(dockerfile, home);
            awaitHealthy(healthCheck, env, gateway);

            String expectedAllocator = Files.isReadable(Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"))
                    ? "native memory: jemalloc (/usr/lib/x86_64-linux-gnu/libjemalloc.so.2)"
                    : "native memory: glibc malloc (glibc.malloc.mmap_threshold=33554432";
            String log = Files.readString(logFile("entrypoint.log").toPath());
            assertTrue(log.contains(expectedAllocator), "the entry point's native allocator, expected "
                    + expectedAllocator + " in the gateway's log");

            HttpClient client = GatewayProcess.httpClient();
            for (String probe : List.of("/health/liveness", "/health/readiness")) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
                        + probe)).timeout(GatewayProcess.HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), probe + ": " + r.body());
            }
            String message = EcgMessages.build("IMAGE", 1).get("IMAGE0");
            assertEquals("AA", EcgMessages.ackCode(EcgMessages.send(mllp, message)));
            String token = DevelopmentKey.loadOrCreate(varLibTamer).token("entrypoint-it", "system/Observation.read",
                    Duration.ofMinutes(5));
            HttpRequest search = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
                            + "/fhir/Observation?_source=urn:tamer:message:MLLP:IMAGE0"))
                    .header("Authorization", "Bearer " + token).timeout(GatewayProcess.HTTP_TIMEOUT).build();
            // one ECG (well under a second on a quiet machine): the wait goes on while the gateway's log grows
            java.io.File gatewayLog = logFile("entrypoint.log");
            ProgressWait.until("the diagnosis Observation of IMAGE0 (see " + gatewayLog + ")", () -> {
                try {
                    return client.send(search, HttpResponse.BodyHandlers.ofString()).body().contains("\"total\":1");
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, gatewayLog::length, Duration.ofMinutes(3));
            assertTrue(Files.list(varLibTamer).anyMatch(f -> f.getFileName().toString().startsWith("tamer-gateway")),
                    "the H2 store lives in the image's volume folder");
        } finally {
            // SIGTERM: every work loop is told at once and ends after its current unit of work (one micro-batch,
            // one delivery), so the budget is one such unit on a loaded machine plus the JVM's own shutdown; it
            // only bounds a hang (a container runtime sends SIGKILL after its own grace period, which the store's
            // leases survive).
            // The wait goes on while the gateway's log grows (loops ending, the store closing), and fails after
            // 2 minutes without a line.
            gateway.destroy();
            java.io.File gatewayLog = logFile("entrypoint.log");
            try {
                ProgressWait.until("the gateway stopping on SIGTERM (see " + gatewayLog + ")",
                        () -> !gateway.isAlive(), gatewayLog::length, Duration.ofMinutes(2));
            } finally {
                gateway.destroyForcibly();
            }
        }
    }

    @Test
    void theEntrypointExplainsAMissingLibraryFolder() throws Exception {
        Path root = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(root.resolve("deploy/entrypoint.sh").toString())
                .redirectErrorStream(true).directory(varLibTamer.toFile());
        builder.environment().remove("TAMER_HOME");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("/opt/tamer/lib does not exist"), output);
    }

    /** TAMER_HOME/lib: the gateway jar and the runtime class path, linked rather than copied (libtorch is large). */
    private static Path linkImageLibraries(Path root) throws IOException {
        Path classpath = Path.of(System.getProperty("tamer.runtime.classpath"));
        Path jar = Path.of(System.getProperty("tamer.gateway.jar"));
        assertTrue(Files.isRegularFile(classpath) && Files.isRegularFile(jar), "run by failsafe after package: "
                + classpath + ", " + jar);
        Path home = Path.of("target", "entrypoint-home").toAbsolutePath();
        Path lib = home.resolve("lib");
        if (Files.exists(lib)) {
            try (var old = Files.list(lib)) {
                for (Path link : old.toList()) {
                    Files.delete(link);
                }
            }
        }
        Files.createDirectories(lib);
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.deleteIfExists(bin.resolve("tamer-java"));
        Files.createSymbolicLink(bin.resolve("tamer-java"), root.resolve("bin/tamer-java"));
        List<String> entries = new ArrayList<>(List.of(Files.readString(classpath).trim().split(":")));
        entries.add(jar.toString());
        for (String entry : entries) {
            Path target = Path.of(entry);
            assertTrue(Files.isRegularFile(target) && entry.endsWith(".jar"), "not a jar on the runtime class path: "
                    + entry);
            Files.createSymbolicLink(lib.resolve(target.getFileName()), target);
        }
        return home;
    }

    /** KEY=VALUE pairs of the Dockerfile's ENV instructions (with line continuations and quoted values). */
    static Map<String, String> environment(String dockerfile) {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher instruction = Pattern.compile("^ENV ((?:[^\\n]*\\\\\\n)*[^\\n]*)$", Pattern.MULTILINE)
                .matcher(dockerfile);
        Pattern pair = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\"[^\"]*\"|\\S+)");
        while (instruction.find()) {
            Matcher m = pair.matcher(instruction.group(1).replace("\\\n", " "));
            while (m.find()) {
                env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
            }
        }
        return env;
    }

    private String inThisCheckout(String value, Path root) {
        return value.replace("/opt/tamer/models/", root.resolve("models") + "/")
                .replace("/var/lib/tamer", varLibTamer.toString());
    }

    private static List<String> healthCheck(String dockerfile, Path home) {
        Matcher m = Pattern.compile("HEALTHCHECK [^\\n]*\\\\\\n\\s*CMD \\[(.*)]").matcher(dockerfile);
        assertTrue(m.find(), "the Dockerfile's HEALTHCHECK");
        List<String> command = new ArrayList<>();
        Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
        while (word.find()) {
            command.add(word.group(1).replace("/opt/tamer/lib/", home.resolve("lib") + "/"));
        }
        command.set(0, Path.of(System.getProperty("java.home"), "bin", command.get(0)).toString());
        return command;
    }

    /**
     * Runs the HEALTHCHECK command until it succeeds, while the gateway starts (its log grows). The probe gets a
     * 30 s answer timeout: its own JVM starting and the gateway answering both slow down under load, and the
     * image's 2 s would turn a slow machine into a failure; what is tested is that the command reports a
     * started gateway healthy.
     */
    private static void awaitHealthy(List<String> healthCheck, Map<String, String> env, Process gateway)
            throws Exception {
        java.io.File log = logFile("entrypoint.log");
        String[] last = {""};
        ProgressWait.until("the HEALTHCHECK command (see " + log + ")", () -> {
            assertTrue(gateway.isAlive(), "the entry point exited with " + (gateway.isAlive() ? ""
                    : gateway.exitValue()) + "; see " + log);
            try {
                // the probe's output goes to a file, so that a probe that never ends cannot block the read
                java.io.File output = logFile("healthcheck.out");
                ProcessBuilder probe = new ProcessBuilder(healthCheck).redirectErrorStream(true)
                        .redirectOutput(output);
                probe.environment().put("TAMER_HTTP_PORT", env.get("TAMER_HTTP_PORT"));
                probe.environment().put("TAMER_HEALTH_TIMEOUT", "30");
                Process check = probe.start();
                boolean ended = check.waitFor(2, TimeUnit.MINUTES);
                if (!ended) {
                    check.destroyForcibly().waitFor();
                }
                last[0] = Files.readString(output.toPath(), StandardCharsets.UTF_8);
                if (!ended) {
                    return false;
                }
                if (check.exitValue() == 0) {
                    return true;
                }
                Thread.sleep(1000);
                return false;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, () -> log.length() + " " + last[0], Duration.ofMinutes(3));
    }

    private static java.io.File logFile(String name) throws IOException {
        return Files.createDirectories(Path.of("target", "it-logs")).resolve(name).toFile();
    }
}
