package org.tamer.training.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tamer.training.dataset.DatasetExample;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.Split;
import org.tamer.training.plot.Charts;
import org.tamer.training.plot.Tsne;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plot", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "PNG plots: a t-SNE map of ECG embeddings coloured by class, and a run's training curves.")
final class PlotCommand implements Callable<Integer> {

    private static final List<String> SUPERCLASSES = List.of("NORM", "MI", "STTC", "CD", "HYP");

    @Option(names = "--bundle", description = "model bundle for the t-SNE map")
    Path bundle;

    @Option(names = "--dataset", description = "dataset for the t-SNE map")
    Path dataset;

    @Option(names = "--split", defaultValue = "VALIDATION,TEST", split = ",", description = "splits on the t-SNE "
            + "map: ${COMPLETION-CANDIDATES}, comma-separated")
    List<Split> splits;

    @Option(names = "--tsne-max-points", defaultValue = "2000", description = "t-SNE is exact (memory and time grow "
            + "with the square of the points): larger splits are sampled to this many, seeded, and the title says so")
    int tsneMaxPoints;

    @Option(names = "--run", description = "run folder whose train-log.jsonl is plotted")
    Path run;

    @Option(names = "--output", required = true, description = "folder for tsne.png and training-curves.png")
    Path output;

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(output);
        if (bundle != null && dataset != null) {
            if (tsneMaxPoints < 4 || tsneMaxPoints > Tsne.MAX_POINTS) {
                throw new IllegalArgumentException("--tsne-max-points must be in 4.." + Tsne.MAX_POINTS + ", got "
                        + tsneMaxPoints);
            }
            org.tamer.runtime.bundle.ModelBundle model = org.tamer.runtime.bundle.ModelBundle.open(bundle);
            ShardDataset data = ShardDataset.open(dataset);
            BundleInputs.requireSamePreprocessing(data, model);
            List<DatasetExample> all = BundleInputs.examples(data, splits);
            List<DatasetExample> examples = all;
            if (all.size() > tsneMaxPoints) {
                List<DatasetExample> shuffled = new ArrayList<>(all);
                java.util.Collections.shuffle(shuffled, new java.util.Random(7));
                examples = shuffled.subList(0, tsneMaxPoints);
            }
            float[][] z = EmbedCommand.embed(model, examples);
            double[][] points = new double[z.length][];
            for (int i = 0; i < z.length; i++) {
                points[i] = new double[z[i].length];
                for (int k = 0; k < z[i].length; k++) {
                    points[i][k] = z[i][k];
                }
            }
            double[][] map = new Tsne(30, 1000, 7).embed(points);
            List<String> groups = examples.stream().map(e -> e.labels().stream().filter(SUPERCLASSES::contains)
                    .findFirst().orElse("other")).toList();
            Charts.scatter(map, groups, "t-SNE of ECG embeddings z^e (" + (examples.size() < all.size() ? examples.size() + " sampled of "
                    + all.size() : examples.size()) + " ECGs, " + splits + ")",
                    output.resolve("tsne.png"));
            System.out.println("plot: wrote " + output.resolve("tsne.png"));
        }
        if (run != null) {
            List<JsonObject> lines = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(run.resolve("train-log.jsonl"))) {
                    lines.add(JsonParser.parseString(line).getAsJsonObject());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the training log of " + run, e);
            }
            double[] steps = lines.stream().mapToDouble(l -> l.get("step").getAsDouble()).toArray();
            Map<String, double[]> series = new LinkedHashMap<>();
            for (String term : List.of("total", "rlca", "uecr", "rada", "rgwr")) {
                if (!lines.isEmpty() && lines.get(0).has(term)) {
                    series.put(term, lines.stream().mapToDouble(l -> l.get(term).getAsDouble()).toArray());
                }
            }
            Charts.lines(series, steps, "Training losses", output.resolve("training-curves.png"));
            System.out.println("plot: wrote " + output.resolve("training-curves.png"));
        }
        return 0;
    }
}
