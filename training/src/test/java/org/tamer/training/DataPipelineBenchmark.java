package org.tamer.training;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.bench.BenchmarkMachine;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.testdata.SharedData;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.dataset.DatasetBuilder;
import org.tamer.training.dataset.DatasetExample;
import org.tamer.training.dataset.PtbXlTrainingSource;
import org.tamer.training.dataset.ReportCleaner;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.Split;

/**
 * The data side of training on this machine: how many ECGs per second {@code build-dataset} reads (WFDB, 500 Hz),
 * preprocesses, encodes (the frozen MiniLM report encoder) and writes as shards, on the 500 real PTB-XL records; and
 * how many ECGs per second the training loader prepares (shuffle, waveform copy, 12-lead STFT spectrograms, padded
 * text features) on its one background thread with no model consuming them, which is the fastest training step it
 * can keep fed. Not a test; with {@code --record} it appends to docs/benchmarks.md. In this package because the
 * loader is internal to the trainer.
 */
public final class DataPipelineBenchmark {

    private DataPipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean record = List.of(args).contains("--record");
        ComputeEngine engine = ComputeEngine.load();
        Path work = Files.createTempDirectory("tamer-data-bench");
        try {
            StringBuilder table = new StringBuilder();
            table.append(String.format(Locale.ROOT, "%n### Data pipeline, %s%n%n", LocalDate.now()));
            table.append("Command: `mvn -B -q -Pbench -pl training -am test-compile -Dtamer.bench=org.tamer.training."
                    + "DataPipelineBenchmark -Dtamer.args=--record`  \n");
            table.append(String.format(Locale.ROOT, "Machine: %d cores, %s; engine: %s%n%n",
                    Runtime.getRuntime().availableProcessors(), BenchmarkMachine.current().describe(), engine.describe()));
            table.append("| work | items | seconds | ECGs per second |\n|---|---:|---:|---:|\n");

            Path dataset = work.resolve("ptbxl-500");
            long start = System.nanoTime();
            try (TextEncoder encoder = TextEncoder.embeddedDefault(engine.device())) {
                new DatasetBuilder(new Preprocessor(PreprocessingConfig.paperDefaults()), encoder, new ReportCleaner(),
                        "bench", 128, new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
                        .build(new PtbXlTrainingSource(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS),
                                dataset);
            }
            double buildSeconds = (System.nanoTime() - start) / 1e9;
            table.append(row("build-dataset: PTB-XL 500 Hz records read, preprocessed, reports encoded, shards "
                    + "written", 500, buildSeconds));

            List<DatasetExample> train = ShardDataset.open(dataset).split(Split.TRAIN);
            for (int batch : new int[] {32, 256}) {
                int epochs = batch == 32 ? 3 : 6;
                int ecgs = 0;
                start = System.nanoTime();
                try (BatchLoader loader = new BatchLoader(train, batch, epochs, 20240601L, 0, 4,
                        StftConfig.paperDefaults())) {
                    BatchLoader.HostBatch next;
                    while ((next = loader.next()) != null) {
                        ecgs += next.size();
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                table.append(row("training loader, batch " + batch + " (" + epochs + " epochs of " + train.size()
                        + " pairs), no model", ecgs, seconds));
            }
            System.out.print(table);
            if (record) {
                Path docs = Path.of(System.getProperty("tamer.repository.root", ".."), "docs",
                        "benchmarks.md");
                Files.writeString(docs, table, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String row(String work, int items, double seconds) {
        return String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f |%n", work, items, seconds, items / seconds);
    }

}
