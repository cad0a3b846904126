package org.tamer.runtime.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.preprocess.PreprocessedEcg;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.spectrogram.SpectrogramTransform;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.testdata.PtbXlRaw;

/**
 * Spectrograms per second for 12 × 5000 input (12 × 63 × 81 output) on real PTB-XL records, on one thread and on
 * every core (one transform per thread), and preprocessing (500 Hz → 500 Hz and 100 Hz → 500 Hz) for comparison.
 * Not a test: run it as the README says and, with {@code --record}, it appends its table to
 * {@code docs/benchmarks.md}.
 */
public final class SpectrogramBenchmark {

    private static final double SECONDS_PER_MEASUREMENT = 5.0;

    private SpectrogramBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean record = List.of(args).contains("--record");
        List<PreprocessedEcg> inputs = new ArrayList<>();
        List<EcgRecord> rawHigh = new ArrayList<>();
        List<EcgRecord> rawLow = new ArrayList<>();
        Preprocessor preprocessor = new Preprocessor(PreprocessingConfig.paperDefaults());
        for (int id = 1; id <= 64; id++) {
            rawHigh.add(record(id, true));
            rawLow.add(record(id, false));
            inputs.add(preprocessor.apply(rawHigh.get(rawHigh.size() - 1)));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double single = spectrogramsPerSecond(inputs, 1);
        double all = spectrogramsPerSecond(inputs, cores);
        double preprocessHigh = preprocessPerSecond(preprocessor, rawHigh);
        double preprocessLow = preprocessPerSecond(preprocessor, rawLow);

        String cpu = BenchmarkMachine.current().describe();
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%n### Spectrogram and preprocessing throughput, %s%n%n", LocalDate.now()));
        table.append("Command: `mvn -B -q -pl model-runtime test-compile exec:java "
                + "-Dexec.mainClass=org.tamer.runtime.bench.SpectrogramBenchmark -Dexec.classpathScope=test "
                + "-Dexec.args=--record`  \n");
        table.append(String.format(Locale.ROOT, "Machine: %d cores, %s, Java %s%n%n", cores, cpu,
                System.getProperty("java.version")));
        table.append("| work (12 leads × 10 s, real PTB-XL records 1–64) | threads | per second | per second per core |\n");
        table.append("|---|---:|---:|---:|\n");
        table.append(row("STFT spectrogram 12 × 5000 → 12 × 63 × 81", 1, single, 1));
        table.append(row("STFT spectrogram 12 × 5000 → 12 × 63 × 81", cores, all, cores));
        table.append(row("preprocess 500 Hz record (min-max, crop/pad)", 1, preprocessHigh, 1));
        table.append(row("preprocess 100 Hz record (polyphase ×5, min-max)", 1, preprocessLow, 1));
        System.out.print(table);
        if (record) {
            Path docs = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "docs", "benchmarks.md");
            Files.writeString(docs, table, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            System.out.println("appended to " + docs.toAbsolutePath().normalize());
        }
    }

    private static String row(String work, int threads, double perSecond, int cores) {
        return String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f |%n", work, threads, perSecond, perSecond / cores);
    }

    private static double spectrogramsPerSecond(List<PreprocessedEcg> inputs, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    SpectrogramTransform transform = new SpectrogramTransform(StftConfig.paperDefaults());
                    runFor(transform, inputs, 2.0); // warm-up: JIT and FFT plans
                    return runFor(transform, inputs, SECONDS_PER_MEASUREMENT);
                }));
            }
            double total = 0;
            for (Future<long[]> result : results) {
                long[] countAndNanos = result.get();
                total += countAndNanos[0] / (countAndNanos[1] / 1e9);
            }
            return total;
        } finally {
            pool.shutdown();
        }
    }

    private static long[] runFor(SpectrogramTransform transform, List<PreprocessedEcg> inputs, double seconds) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long count = 0;
        double checksum = 0;
        while (System.nanoTime() < deadline) {
            checksum += transform.apply(inputs.get((int) (count % inputs.size()))).magnitude(0, 1, 1);
            count++;
        }
        if (Double.isNaN(checksum)) {
            throw new IllegalStateException("NaN in spectrogram");
        }
        return new long[] {count, System.nanoTime() - start};
    }

    private static double preprocessPerSecond(Preprocessor preprocessor, List<EcgRecord> records) {
        for (int i = 0; i < 200; i++) {
            preprocessor.apply(records.get(i % records.size()));
        }
        long start = System.nanoTime();
        long deadline = start + (long) (SECONDS_PER_MEASUREMENT * 1e9);
        long count = 0;
        while (System.nanoTime() < deadline) {
            preprocessor.apply(records.get((int) (count % records.size())));
            count++;
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static EcgRecord record(int id, boolean high) {
        return EcgRecord.of("ptbxl-" + id, EcgSignal.of(high ? 500 : 100, StandardLead.CANONICAL_ORDER,
                PtbXlRaw.millivolts(id, high)), SourceMetadata.of("PTB-XL", null));
    }

}
