package org.tamer.training.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.training.dataset.DatasetExample;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.Split;
import org.tamer.training.eval.EcgEmbedder;
import org.tamer.training.eval.EvaluationOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "embed", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Write the fused ECG embeddings z^e of dataset examples to a TSV file.")
final class EmbedCommand implements Callable<Integer> {

    @Option(names = "--bundle", required = true, description = "a model bundle folder")
    Path bundle;

    @Option(names = "--dataset", required = true, description = "a folder written by build-dataset")
    Path dataset;

    @Option(names = "--split", defaultValue = "TEST", split = ",", description = "one or more of "
            + "${COMPLETION-CANDIDATES}, comma-separated")
    List<Split> splits;

    @Option(names = "--output", required = true, description = "TSV: pseudonym, split, labels, then D values")
    Path output;

    @Override
    public Integer call() {
        ModelBundle model = ModelBundle.open(bundle);
        ShardDataset data = ShardDataset.open(dataset);
        BundleInputs.requireSamePreprocessing(data, model);
        List<DatasetExample> examples = BundleInputs.examples(data, splits);
        float[][] z = embed(model, examples);
        try (Writer out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (int i = 0; i < examples.size(); i++) {
                DatasetExample e = examples.get(i);
                StringBuilder line = new StringBuilder(e.pseudonym()).append('\t').append(e.split()).append('\t')
                        .append(String.join(",", e.labels()));
                for (float v : z[i]) {
                    line.append('\t').append(String.format(Locale.ROOT, "%.6f", v));
                }
                out.write(line.append('\n').toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output, e);
        }
        System.out.println("embed: " + examples.size() + " embeddings written to " + output);
        return 0;
    }

    static float[][] embed(ModelBundle model, List<DatasetExample> examples) {
        ComputeEngine engine = ComputeEngine.load();
        try (NDManager manager = NDManager.newBaseManager(engine.device())) {
            return new EcgEmbedder(model.loadNetwork(manager), model.manifest().stft()).embed(examples,
                    EvaluationOptions.standard(), manager);
        }
    }
}
