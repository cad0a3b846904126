package org.tamer.training;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.Digests;
import org.tamer.runtime.bench.BenchmarkMachine;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.spectrogram.SpectrogramTransform;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.testdata.SharedData;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.dataset.DatasetBuilder;
import org.tamer.training.dataset.DatasetExample;
import org.tamer.training.dataset.EpochOrder;
import org.tamer.training.dataset.PtbXlTrainingSource;
import org.tamer.training.dataset.ReportCleaner;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.Split;

/**
 * The training data path on this machine, stage by stage on one thread (read a shard and check its SHA-256, decode
 * it, compute the 12 spectrograms of an example, lay out a batch), then the whole loader at batch 256 with one and
 * with two workers and no model consuming the batches. Stage times are CPU time of the measuring thread, so they are
 * per core even on a busy machine. Not a test; with {@code --record} it appends to docs/benchmarks.md.
 *
 * <p>Options: {@code --dataset DIR} (default: build the 500 PTB-XL records into a temporary folder first, which is
 * then timed as build-dataset), {@code --shards N} shards to read for the stage figures (default 2),
 * {@code --record}.
 */
public final class DataPipelineBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private DataPipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(args[i], args[++i]);
            } else {
                options.put(args[i], "");
            }
        }
        boolean record = options.containsKey("--record");
        int shardCount = Integer.parseInt(options.getOrDefault("--shards", "2"));
        ComputeEngine engine = ComputeEngine.load();
        Path work = Files.createTempDirectory("tamer-data-bench");
        try {
            StringBuilder table = new StringBuilder();
            table.append(String.format(Locale.ROOT, "%n### Training data path, stage by stage, %s%n%n", LocalDate.now()));
            table.append("Command: `mvn -B -q -Pbench -pl training -am test-compile -Dtamer.bench=org.tamer.training."
                    + "DataPipelineBenchmark -Dtamer.args=\"" + String.join(" ", args) + "\"`  \n");
            table.append(String.format(Locale.ROOT, "Machine: %d cores, %s; engine: %s; load average at start %.1f%n%n",
                    Runtime.getRuntime().availableProcessors(), BenchmarkMachine.current().describe(),
                    engine.describe(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
            Path dataset;
            if (options.containsKey("--dataset")) {
                dataset = Path.of(options.get("--dataset"));
            } else {
                dataset = work.resolve("ptbxl-500");
                long cpu = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                try (TextEncoder encoder = TextEncoder.embeddedDefault(engine.device())) {
                    new DatasetBuilder(new Preprocessor(PreprocessingConfig.paperDefaults()), encoder,
                            new ReportCleaner(), "bench", 128, new PrintStream(OutputStream.nullOutputStream(), false,
                            StandardCharsets.UTF_8)).build(new PtbXlTrainingSource(SharedData.ptbXl(), true,
                            ReportLanguage.ENGLISH_STATEMENTS), dataset);
                }
                table.append(String.format(Locale.ROOT, "build-dataset, 500 PTB-XL records: %.1f s wall, %.1f s CPU "
                        + "of the main thread%n%n", (System.nanoTime() - start) / 1e9,
                        (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9));
            }
            ShardDataset data = ShardDataset.open(dataset);
            table.append("Dataset: `").append(dataset.getFileName()).append("`, ")
                    .append(data.manifest().has("shardFormat") ? data.manifest().get("shardFormat").getAsString()
                            : "TAMERDS1").append(", ").append(data.shards().size()).append(" shards\n\n");
            table.append("| stage (one thread) | ECGs | CPU seconds | ECGs per second per core | bytes per ECG |\n"
                    + "|---|---:|---:|---:|---:|\n");

            long readCpu = 0;
            long decodeCpu = 0;
            long bytes = 0;
            List<DatasetExample> examples = new ArrayList<>();
            for (ShardDataset.Shard shard : data.shards().subList(0, Math.min(shardCount, data.shards().size()))) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                byte[] content = Files.readAllBytes(shard.file());
                Digests.sha256Hex(content);
                long t1 = THREADS.getCurrentThreadCpuTime();
                List<DatasetExample> decoded = data.readShard(shard); // reads and hashes again, then decodes
                long t2 = THREADS.getCurrentThreadCpuTime();
                readCpu += t1 - t0;
                decodeCpu += (t2 - t1) - (t1 - t0);
                bytes += content.length;
                examples.addAll(decoded);
            }
            int n = examples.size();
            table.append(row("read shard file + SHA-256", n, readCpu, bytes / (double) n));
            table.append(row("decode (int16 or float32 to float arrays)", n, decodeCpu, Double.NaN));

            SpectrogramTransform stft = new SpectrogramTransform(StftConfig.paperDefaults());
            StftConfig c = stft.config();
            int samples = examples.get(0).waveform().length / 12;
            int specSize = 12 * c.frequencyBins() * c.frames(samples);
            float[] spec = new float[specSize];
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (DatasetExample e : examples) {
                for (int l = 0; l < 12; l++) {
                    stft.transformLead(e.waveform(), l * samples, samples, spec, l * c.frequencyBins()
                            * c.frames(samples));
                }
            }
            long spectrogramCpu = THREADS.getCurrentThreadCpuTime() - t0;
            table.append(row("12-lead STFT spectrograms", n, spectrogramCpu, Double.NaN));
            t0 = THREADS.getCurrentThreadCpuTime();
            for (int from = 0; from + 256 <= n || from == 0; from += 256) {
                BatchLoader.assemble(examples.subList(from, Math.min(n, from + 256)), 0, 0, stft);
            }
            long assembled = Math.min(n, Math.max(256, n / 256 * 256));
            long assembleCpu = THREADS.getCurrentThreadCpuTime() - t0;
            long layoutCpu = Math.max(0, assembleCpu - spectrogramCpu * assembled / n);
            table.append(row("batch layout (copies, padding; spectrograms excluded)", (int) assembled, layoutCpu,
                    Double.NaN));
            double perEcg = readCpu / (double) n + decodeCpu / (double) n + spectrogramCpu / (double) n
                    + layoutCpu / (double) assembled;
            table.append(String.format(Locale.ROOT, "| **whole data path** | | | **%.0f** | |%n", 1e9 / perEcg));
            examples.clear();

            table.append("\n| loader, batch 256, no model | workers | ECGs | wall seconds | ECGs per second |\n"
                    + "|---|---:|---:|---:|---:|\n");
            int steps = Integer.parseInt(options.getOrDefault("--loader-steps", "8"));
            for (int workers : new int[] {1, 2}) {
                EpochOrder order = new EpochOrder(data, Split.TRAIN, 20240601L, 2);
                int ecgs = 0;
                long start = System.nanoTime();
                try (BatchLoader loader = new BatchLoader(order, 256, 1, 0, 4, workers, StftConfig.paperDefaults())) {
                    BatchLoader.HostBatch next;
                    for (int s = 0; s < steps && (next = loader.next()) != null; s++) {
                        ecgs += next.size();
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                table.append(String.format(Locale.ROOT, "| shards streamed 2 at a time | %d | %d | %.1f | %.0f |%n",
                        workers, ecgs, seconds, ecgs / seconds));
            }
            System.out.print(table);
            if (record) {
                Path docs = Path.of(System.getProperty("tamer.repository.root", ".."), "docs", "benchmarks.md");
                Files.writeString(docs, table, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        } finally {
            deleteTree(work);
        }
    }

    private static String row(String stage, int ecgs, long cpuNanos, double bytesPerEcg) {
        return String.format(Locale.ROOT, "| %s | %d | %.2f | %.0f | %s |%n", stage, ecgs, cpuNanos / 1e9,
                ecgs / (cpuNanos / 1e9), Double.isNaN(bytesPerEcg) ? "" : String.format(Locale.ROOT, "%.0f",
                        bytesPerEcg));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
