package org.tamer.training.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.network.FlopCount;
import org.tamer.runtime.network.TamerConfig;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.text.ReportFeatures;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.PretrainingStep;
import org.tamer.training.loss.TamerLossConfig;
import org.tamer.training.loss.TamerObjective;
import org.tamer.training.optim.AdamW;
import org.tamer.training.optim.CosineWarmRestarts;
import org.tamer.training.testing.RealPairs;

/**
 * Throughput of the paper's network on this machine: the matrix-multiply roof of the engine, forward inference
 * (z^e) at batch 1, 8 and 32, and full training steps (forward, the four losses, backward, AdamW) at batch 16 and
 * 32, on real PTB-XL ECG-report pairs. Not a test; with {@code --record} it appends to docs/benchmarks.md.
 */
public final class TrainingStepBenchmark {

    private TrainingStepBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        boolean record = List.of(args).contains("--record");
        ComputeEngine engine = ComputeEngine.load();
        Engine.getInstance().setRandomSeed(1);
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%n### TAMER network throughput (paper configuration), %s%n%n",
                LocalDate.now()));
        table.append("Command: `mvn -B -q -pl training test-compile exec:java -Dexec.mainClass=org.tamer.training"
                + ".bench.TrainingStepBenchmark -Dexec.classpathScope=test -Dexec.args=--record` (run after "
                + "`mvn -B -q install -DskipTests`)  \n");
        table.append(String.format(Locale.ROOT, "Machine: %d cores, %s; engine: %s%n%n",
                Runtime.getRuntime().availableProcessors(), cpu(), engine.describe()));
        table.append("| work | batch | seconds per batch | ECGs per second | GFLOP/s | % of matmul roof | peak RSS (MiB) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        try (NDManager manager = NDManager.newBaseManager(engine.device())) {
            double roof = matmulGflops(manager);
            double flops = FlopCount.flopsPerEcg(TamerConfig.paper(384));
            TamerNetwork network = new TamerNetwork(TamerConfig.paper(384));
            network.initialize(manager);
            RealPairs pairs = new RealPairs(32);
            for (int batch : new int[] {1, 8, 32}) {
                double seconds = inference(network, manager, pairs, batch);
                table.append(row("inference z^e", batch, seconds, flops, roof));
            }
            try (TextEncoder text = TextEncoder.embeddedDefault(engine.device());
                 AdamW optimizer = AdamW.paper(manager)) {
                PretrainingStep step = new PretrainingStep(network, new TamerObjective(TamerLossConfig.paper()),
                        optimizer, CosineWarmRestarts.paper());
                for (int batch : new int[] {16, 32}) {
                    double seconds = training(step, manager, pairs, text, batch);
                    // forward + backward is counted as three forward passes (the usual estimate)
                    table.append(row("training step (4 losses, AdamW)", batch, seconds, 3 * flops, roof));
                }
            }
            table.append(String.format(Locale.ROOT, "%nMatrix-multiply roof through the same engine (2048 x 2048 "
                    + "float32): %.1f GFLOP/s. Analytic cost of one ECG (FlopCount): %.2f GFLOP for inference.%n",
                    roof, flops / 1e9));
        }
        System.out.print(table);
        if (record) {
            Path docs = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "docs", "benchmarks.md");
            Files.writeString(docs, table, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
    }

    private static String row(String work, int batch, double seconds, double flopsPerEcg, double roof) {
        double gflops = batch * flopsPerEcg / seconds / 1e9;
        return String.format(Locale.ROOT, "| %s | %d | %.3f | %.1f | %.0f | %.0f%% | %d |%n", work, batch, seconds,
                batch / seconds, gflops, 100 * gflops / roof, peakRssMiB());
    }

    private static double matmulGflops(NDManager manager) {
        int n = 2048;
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
            a.matMul(b).close();
            long start = System.nanoTime();
            int reps = 10;
            for (int i = 0; i < reps; i++) {
                a.matMul(b).close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return reps * 2.0 * n * n * n / seconds / 1e9;
        }
    }

    private static double inference(TamerNetwork network, NDManager manager, RealPairs pairs, int batch) {
        int reps = batch == 1 ? 10 : 3;
        double total = 0;
        for (int i = 0; i <= reps; i++) {
            try (NDManager m = manager.newSubManager()) {
                NDArray w = pairs.waveforms(m).get("0:" + batch);
                NDArray s = pairs.spectrograms(m).get("0:" + batch);
                long start = System.nanoTime();
                network.forward(new ParameterStore(m, false), new NDList(w, s), false).head().toFloatArray();
                if (i > 0) {
                    total += (System.nanoTime() - start) / 1e9;
                }
            }
        }
        return total / reps;
    }

    private static double training(PretrainingStep step, NDManager manager, RealPairs pairs, TextEncoder text,
                                   int batch) {
        int reps = 3;
        double total = 0;
        for (int i = 0; i <= reps; i++) {
            try (NDManager m = manager.newSubManager()) {
                NDArray w = pairs.waveforms(m).get("0:" + batch);
                NDArray s = pairs.spectrograms(m).get("0:" + batch);
                ReportFeatures r = text.encode(pairs.reports().subList(0, batch), m);
                long start = System.nanoTime();
                step.run(m, w, s, r);
                if (i > 0) {
                    total += (System.nanoTime() - start) / 1e9;
                }
            }
        }
        return total / reps;
    }

    private static long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
