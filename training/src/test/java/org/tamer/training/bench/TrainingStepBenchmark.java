package org.tamer.training.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tamer.runtime.bench.BenchmarkMachine;
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
 * Throughput of the paper's network on this machine: the dense roof and memory bandwidth of the engine
 * ({@link MachineLimits}), forward inference (z^e) at batch 1, 8, 32 and 64, and full training steps (forward, the
 * four losses, backward, AdamW) at batch 16, 32 and 64, on real PTB-XL ECG-report pairs. Not a test; with {@code --record} it appends to docs/benchmarks.md.
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
        table.append("Command: `mvn -B -q -Pbench -pl training -am test-compile -Dtamer.bench=org.tamer.training."
                + "bench.TrainingStepBenchmark -Dtamer.args=--record`  \n");
        table.append(String.format(Locale.ROOT, "Machine: %d cores, %s; engine: %s%n%n",
                Runtime.getRuntime().availableProcessors(), BenchmarkMachine.current().describe(), engine.describe()));
        table.append("| work | batch | seconds per batch | ECGs per second | GFLOP/s | % of dense roof | peak RSS (MiB) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        try (NDManager manager = NDManager.newBaseManager(engine.device())) {
            MachineLimits before = MachineLimits.measure(manager);
            double flops = FlopCount.flopsPerEcg(TamerConfig.paper(384));
            TamerNetwork network = new TamerNetwork(TamerConfig.paper(384));
            network.initialize(manager);
            RealPairs pairs = new RealPairs(64);
            List<Run> runs = new ArrayList<>();
            for (int batch : new int[] {1, 8, 32, 64}) {
                resetPeakRss();
                double seconds = inference(network, manager, pairs, batch);
                runs.add(new Run("inference z^e", batch, seconds, flops, peakRssMiB()));
            }
            try (TextEncoder text = TextEncoder.embeddedDefault(engine.device());
                 AdamW optimizer = AdamW.paper(manager)) {
                PretrainingStep step = new PretrainingStep(network, new TamerObjective(TamerLossConfig.paper()),
                        optimizer, CosineWarmRestarts.paper());
                for (int batch : new int[] {16, 32, 64}) {
                    resetPeakRss();
                    double seconds = training(step, manager, pairs, text, batch);
                    // forward + backward is counted as three forward passes (the usual estimate)
                    runs.add(new Run("training step (4 losses, AdamW)", batch, seconds, 3 * flops, peakRssMiB()));
                }
            }
            MachineLimits limits = before.bestWith(MachineLimits.measure(manager));
            for (Run run : runs) {
                table.append(run.row(limits.roofGflops()));
            }
            table.append(String.format(Locale.ROOT, "%n%s Analytic cost of one ECG (FlopCount): %.2f GFLOP for "
                    + "inference.%n", limits.describe(), flops / 1e9));
        }
        System.out.print(table);
        if (record) {
            Path docs = Path.of(System.getProperty("tamer.repository.root", ".."), "docs", "benchmarks.md");
            Files.writeString(docs, table, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
    }

    /** One timed configuration. */
    private record Run(String work, int batch, double seconds, double flopsPerEcg, long peakRssMiB) {

        String row(double roof) {
            double gflops = batch * flopsPerEcg / seconds / 1e9;
            return String.format(Locale.ROOT, "| %s | %d | %.3f | %.1f | %.0f | %.0f%% | %d |%n", work, batch,
                    seconds, batch / seconds, gflops, 100 * gflops / roof, peakRssMiB);
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

    /** The process's peak resident set so far starts again from the current one (Linux clear_refs). */
    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the peak RSS through /proc/self/clear_refs", e);
        }
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

}
