package org.tamer.gateway.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.tamer.gateway.security.DevelopmentKey;
import org.tamer.routes.mllp.MllpClient;
import org.tamer.runtime.bench.BenchmarkMachine;
import org.tamer.runtime.engine.NativeAllocator;

/**
 * The gateway end to end with the model in the loop, as in production: gateway processes on a PostgreSQL store, a
 * HAPI FHIR server (RestfulServer on Jetty, in this JVM) receiving the results, HL7 v2 ECG messages built from real
 * PTB-XL records sent over MLLP. For each configuration (batch-1 serving, micro-batching, two replicas on one
 * database) it measures the saturated throughput (a burst sent as fast as the ACKs come back), then p50/p95/p99
 * latency from the last byte of a message written to its diagnosis Observation stored at the FHIR server, at
 * offered loads below saturation (open loop), and the share of wall time the model is busy (from the gateway's
 * {@code tamer_model_batch_time_seconds}); then {@code $diagnose} with concurrent clients. It shares the harness of
 * {@code GatewayIT}, hence its package.
 *
 * <pre>
 * mvn -B -q -Pbench -pl gateway -am test-compile -Dtamer.bench=org.tamer.gateway.it.GatewayBenchmark \
 *     -Dtamer.args=--record
 * </pre>
 * {@code --quick} runs a small version (for checking the harness, not for numbers); {@code -Dtamer.bench.jfr=true}
 * records a Java Flight Recording of each gateway process in {@code gateway/target}.
 */
public final class GatewayBenchmark {

    /** @param modelThreads PyTorch intra-op threads per process; 0 for the engine's default (one per core) */
    private record Configuration(String name, int replicas, int maxBatch, int modelThreads) {
    }

    private record Saturation(double messagesPerSecond, double meanBatch, double modelShare, double allocatedMiB) {
    }

    private record LoadResult(double offered, double achieved, double[] latencySeconds) {
    }

    private final boolean quick;
    private final FhirTestServer fhir;
    private final StringBuilder report = new StringBuilder();
    private int prefixCounter;

    private GatewayBenchmark(boolean quick, FhirTestServer fhir) {
        this.quick = quick;
        this.fhir = fhir;
    }

    public static void main(String[] args) throws Exception {
        boolean record = Arrays.asList(args).contains("--record");
        boolean quick = Arrays.asList(args).contains("--quick");
        try (FhirTestServer fhir = new FhirTestServer(GatewayProcess.freePort())) {
            fhir.start();
            GatewayBenchmark benchmark = new GatewayBenchmark(quick, fhir);
            benchmark.run();
            String text = benchmark.report.toString();
            System.out.println(text);
            if (record) {
                Path file = Path.of(System.getProperty("tamer.repository.root", "..")).resolve("docs/benchmarks.md");
                Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                System.out.println("appended to " + file.toAbsolutePath().normalize());
            }
        }
        System.exit(0);
    }

    private void run() throws Exception {
        List<Configuration> configurations = List.of(new Configuration("batch-1 serving", 1, 1, 0),
                new Configuration("micro-batching", 1, 32, 0),
                new Configuration("micro-batching, two processes, 1 model thread each", 2, 32, 1));
        Map<Configuration, Saturation> saturations = new LinkedHashMap<>();
        Map<Configuration, List<LoadResult>> loads = new LinkedHashMap<>();
        List<String[]> diagnose = new ArrayList<>();
        for (Configuration configuration : configurations) {
            try (Postgres db = new Postgres(); Replicas gateways = new Replicas(configuration, db, fhir.baseUrl())) {
                send(gateways, messages(quick ? 4 : 8), 4);
                Saturation saturation = saturate(gateways, quick ? 24 : 120);
                saturations.put(configuration, saturation);
                System.out.printf(Locale.ROOT, "%s: saturated at %.2f messages/s%n", configuration.name(),
                        saturation.messagesPerSecond());
                List<LoadResult> results = new ArrayList<>();
                for (double fraction : quick ? new double[] {0.5} : new double[] {0.25, 0.5, 0.8}) {
                    LoadResult r = offer(gateways, fraction * saturation.messagesPerSecond(), quick ? 8 : 25);
                    results.add(r);
                    System.out.printf(Locale.ROOT, "  offered %.2f/s: p50 %.2f s, p95 %.2f s, p99 %.2f s%n",
                            r.offered(), r.latencySeconds()[0], r.latencySeconds()[1], r.latencySeconds()[2]);
                }
                loads.put(configuration, results);
                if (configuration.replicas() == 1) {
                    for (int clients : quick ? new int[] {2} : new int[] {1, 4, 8}) {
                        diagnose.add(diagnose(configuration, gateways, clients, quick ? 6 : 40));
                    }
                }
            }
        }
        write(saturations, loads, diagnose);
    }

    /** The gateway processes of one configuration on one database. */
    private static final class Replicas implements AutoCloseable {
        final List<GatewayProcess> processes = new ArrayList<>();
        final Path work;

        Replicas(Configuration configuration, Postgres db, String fhirServer) throws Exception {
            work = Path.of("target", "it-data", db.name).toAbsolutePath();
            for (int i = 0; i < configuration.replicas(); i++) {
                String name = "bench-" + configuration.maxBatch() + "-" + configuration.replicas() + "-"
                        + configuration.modelThreads() + "-" + i;
                Map<String, String> settings = new LinkedHashMap<>(Map.of(
                        "TAMER_MODEL_MAX_BATCH", Integer.toString(configuration.maxBatch()),
                        "TAMER_MODEL_MAX_WAIT", "20ms", "TAMER_STORE_CLAIM_SIZE", "32",
                        "TAMER_FHIR_SERVER_URL", fhirServer));
                List<String> jvm = new ArrayList<>();
                if (configuration.modelThreads() > 0) {
                    jvm.add("-Dai.djl.pytorch.num_threads=" + configuration.modelThreads());
                    jvm.add("-Dai.djl.pytorch.num_interop_threads=" + configuration.modelThreads());
                }
                if (Boolean.getBoolean("tamer.bench.jfr")) {
                    jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of("target", name + ".jfr")
                            .toAbsolutePath());
                }
                if (!jvm.isEmpty()) {
                    settings.put("JAVA_TOOL_OPTIONS", String.join(" ", jvm));
                }
                processes.add(GatewayProcess.start(name, db, settings));
            }
        }

        @Override
        public void close() {
            processes.forEach(GatewayProcess::close);
        }
    }

    private Map<String, String> messages(int count) {
        String prefix = "B" + (prefixCounter++) + "X";
        return EcgMessages.build(prefix, count);
    }

    /** Sends every message over {@code connections} parallel connections as fast as the ACKs allow; waits for all. */
    private Map<String, Long> send(Replicas gateways, Map<String, String> messages, int connections)
            throws Exception {
        BlockingQueue<Map.Entry<String, String>> queue = new ArrayBlockingQueue<>(messages.size());
        queue.addAll(messages.entrySet());
        Map<String, Long> lastByte = new ConcurrentHashMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(connections);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int port = gateways.processes.get(c % gateways.processes.size()).mllpPort;
            done.add(senders.submit(() -> {
                try (MllpClient client = MllpClient.connect("127.0.0.1", port, null, Duration.ofMinutes(5),
                        StandardCharsets.ISO_8859_1)) {
                    Map.Entry<String, String> next;
                    while ((next = queue.poll()) != null) {
                        client.write(next.getValue());
                        lastByte.put(recordId(next.getValue()), System.nanoTime());
                        String ack = client.read();
                        if (!EcgMessages.ackCode(ack).equals("AA")) {
                            throw new IllegalStateException("not accepted: " + ack);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        senders.shutdown();
        awaitDelivered(lastByte.keySet(), Duration.ofMinutes(20));
        return lastByte;
    }

    private Saturation saturate(Replicas gateways, int count) throws Exception {
        Map<String, String> burst = messages(count);
        Map<String, Double> before = metrics(gateways);
        long start = System.nanoTime();
        Map<String, Long> sent = send(gateways, burst, 8);
        long end = System.nanoTime();
        Map<String, Double> after = metrics(gateways);
        List<Long> delivered = new ArrayList<>();
        Map<String, Long> stored = storedByRecord();
        sent.keySet().forEach(id -> delivered.add(stored.get(id)));
        delivered.sort(Long::compare);
        int skip = count / 10;
        double rate = (count - 2.0 * skip) / ((delivered.get(count - skip - 1) - delivered.get(skip)) / 1e9);
        double modelSeconds = delta(before, after, "tamer_model_batch_time_seconds_sum");
        double batches = delta(before, after, "tamer_model_batch_time_seconds_count");
        double wall = (end - start) / 1e9;
        double allocated = delta(before, after, "jvm_gc_memory_allocated_bytes_total") / count / (1 << 20);
        return new Saturation(rate, batches == 0 ? 0 : count / batches,
                modelSeconds / (wall * gateways.processes.size()), allocated);
    }

    /** Open loop: messages released at a fixed rate to 8 sender connections; latency last byte → stored result. */
    private LoadResult offer(Replicas gateways, double rate, int seconds) throws Exception {
        int count = Math.max(4, (int) Math.round(rate * seconds));
        Map<String, String> messages = messages(count);
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(count + 8);
        Map<String, Long> lastByte = new ConcurrentHashMap<>();
        int connections = 8;
        ExecutorService senders = Executors.newFixedThreadPool(connections);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int port = gateways.processes.get(c % gateways.processes.size()).mllpPort;
            done.add(senders.submit(() -> {
                try (MllpClient client = MllpClient.connect("127.0.0.1", port, null, Duration.ofMinutes(5),
                        StandardCharsets.ISO_8859_1)) {
                    while (true) {
                        String message = queue.take();
                        if (message.isEmpty()) {
                            return null;
                        }
                        client.write(message);
                        lastByte.put(recordId(message), System.nanoTime());
                        EcgMessages.ackCode(client.read());
                    }
                }
            }));
        }
        long start = System.nanoTime();
        int i = 0;
        for (String message : messages.values()) {
            long due = start + (long) (i++ * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            queue.put(message);
        }
        for (int c = 0; c < connections; c++) {
            queue.put("");
        }
        for (Future<?> f : done) {
            f.get();
        }
        senders.shutdown();
        double sendSeconds = (lastByte.values().stream().mapToLong(Long::longValue).max().orElseThrow() - start) / 1e9;
        awaitDelivered(lastByte.keySet(), Duration.ofMinutes(20));
        Map<String, Long> stored = storedByRecord();
        double[] latencies = lastByte.entrySet().stream().mapToDouble(e -> (stored.get(e.getKey()) - e.getValue())
                / 1e9).sorted().toArray();
        return new LoadResult(rate, count / sendSeconds, new double[] {percentile(latencies, 0.50),
                percentile(latencies, 0.95), percentile(latencies, 0.99)});
    }

    /** Closed loop: {@code clients} threads each posting {@code $diagnose} requests back to back. */
    private String[] diagnose(Configuration configuration, Replicas gateways, int clients, int requestsPerClient)
            throws Exception {
        int port = gateways.processes.get(0).httpPort;
        String token = DevelopmentKey.loadOrCreate(gateways.work).token("bench",
                "system/Observation.write system/Observation.read", Duration.ofHours(1));
        var context = ca.uhn.fhir.context.FhirContext.forR4Cached();
        var mapper = new org.tamer.fhir.mapping.EcgFhirMapper(new org.tamer.fhir.terminology.MdcLeadCodes());
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < clients * requestsPerClient; i++) {
            var base = EcgMessages.record(1 + i % 40);
            var record = new org.tamer.runtime.ecg.EcgRecord("DX" + prefixCounter + "-" + i + "-" + base.id(),
                    base.subjectReference(), base.encounterReference(), base.acquisitionTime(), base.signal(),
                    base.reportText(), base.source());
            bodies.add(context.newJsonParser().encodeResourceToString(mapper.toObservation(record)));
        }
        prefixCounter++;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> done = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int first = c * requestsPerClient;
            done.add(pool.submit(() -> {
                for (int i = first; i < first + requestsPerClient; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                    + "/fhir/Observation/$diagnose")).header("Content-Type", "application/fhir+json")
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("$diagnose answered " + r.statusCode() + ": " + r.body());
                    }
                    latencies.add((System.nanoTime() - t0) / 1e9);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        String[] row = {configuration.name(), Integer.toString(clients), format(sorted.length / seconds),
                format(percentile(sorted, 0.5)), format(percentile(sorted, 0.95)), format(percentile(sorted, 0.99))};
        System.out.println("  $diagnose " + String.join(" | ", row));
        return row;
    }

    private void awaitDelivered(java.util.Set<String> recordIds, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!storedByRecord().keySet().containsAll(recordIds)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("results missing after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Record id → when its diagnosis was first stored (the identifier is {@code recordId/modelHash}). */
    private Map<String, Long> storedByRecord() {
        Map<String, Long> byRecord = new LinkedHashMap<>();
        fhir.diagnosisStoredNanos().forEach((key, nanos) -> byRecord.put(key.substring(0, key.lastIndexOf('/')),
                nanos));
        return byRecord;
    }

    /** The record id a message carries: OBR-3, the filler order number, which the adapter makes the record id. */
    private static String recordId(String message) {
        for (String segment : message.split("\r")) {
            if (segment.startsWith("OBR|")) {
                return segment.split("\\|", -1)[3].split("\\^", -1)[0];
            }
        }
        throw new IllegalArgumentException("no OBR segment");
    }

    /** Sums of Prometheus samples over the replicas, by metric name (labels dropped). */
    private static Map<String, Double> metrics(Replicas gateways) throws IOException, InterruptedException {
        Map<String, Double> sums = new LinkedHashMap<>();
        HttpClient http = HttpClient.newHttpClient();
        String operator = "Bearer " + DevelopmentKey.loadOrCreate(gateways.work).token("bench",
                org.tamer.gateway.security.Scopes.OPERATIONS, Duration.ofMinutes(5));
        for (GatewayProcess gateway : gateways.processes) {
            String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort
                    + "/prometheus")).header("Authorization", operator).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            for (String line : text.split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String name = line.substring(0, line.indexOf(line.contains("{") ? '{' : ' '));
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                sums.merge(name, value, Double::sum);
            }
        }
        return sums;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        if (!after.containsKey(name)) {
            throw new IllegalStateException("the gateway exposes no metric " + name + "; it has " + after.keySet());
        }
        return after.get(name) - before.getOrDefault(name, 0.0);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
    }

    private void write(Map<Configuration, Saturation> saturations, Map<Configuration, List<LoadResult>> loads,
                       List<String[]> diagnose) throws IOException {
        report.append("\n### Gateway end to end, model in the loop, ").append(LocalDate.now()).append(quick
                ? " (--quick: harness check, not a measurement)" : "").append("\n\n");
        report.append("Command: `mvn -B -q -Pbench -pl gateway -am test-compile "
                + "-Dtamer.bench=org.tamer.gateway.it.GatewayBenchmark -Dtamer.args=--record`  \n");
        report.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(BenchmarkMachine.current().describe()).append(", Java ").append(System.getProperty("java.version"))
                .append(", native memory of every process: ").append(NativeAllocator.ofThisProcess().describe())
                .append("; gateways as separate JVMs on PostgreSQL (127.0.0.1), HAPI FHIR RestfulServer as the "
                        + "destination, all on this machine; HL7 v2.5.1 ORU^R01 of real PTB-XL records (12 × 5000)"
                        + "\n\n");
        report.append("| configuration | processes | max batch | saturated messages/s | mean ECGs per batch | "
                + "model busy share of wall time | outside the model | allocated MiB per message |\n");
        report.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        saturations.forEach((c, s) -> report.append("| ").append(c.name()).append(" | ").append(c.replicas())
                .append(" | ").append(c.maxBatch()).append(" | ").append(format(s.messagesPerSecond())).append(" | ")
                .append(format(s.meanBatch())).append(" | ").append(percent(s.modelShare())).append(" | ")
                .append(percent(1 - s.modelShare())).append(" | ").append(format(s.allocatedMiB())).append(" |\n"));
        report.append("\nLatency from the last byte of the HL7 message to its diagnosis Observation stored at the "
                + "FHIR server, open loop at fractions of each configuration's saturated rate:\n\n");
        report.append("| configuration | offered messages/s | sent messages/s | p50 s | p95 s | p99 s |\n");
        report.append("|---|---:|---:|---:|---:|---:|\n");
        loads.forEach((c, results) -> results.forEach(r -> report.append("| ").append(c.name()).append(" | ")
                .append(format(r.offered())).append(" | ").append(format(r.achieved())).append(" | ")
                .append(format(r.latencySeconds()[0])).append(" | ").append(format(r.latencySeconds()[1]))
                .append(" | ").append(format(r.latencySeconds()[2])).append(" |\n")));
        report.append("\n`POST /fhir/Observation/$diagnose` (synchronous), closed loop:\n\n");
        report.append("| configuration | concurrent clients | requests/s | p50 s | p95 s | p99 s |\n");
        report.append("|---|---:|---:|---:|---:|---:|\n");
        diagnose.forEach(row -> report.append("| ").append(String.join(" | ", row)).append(" |\n"));
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

}
