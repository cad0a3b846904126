package org.tamer.training.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.inference.PromptDictionary;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.Split;
import org.tamer.training.eval.EvaluationOptions;
import org.tamer.training.eval.EvaluationReport;
import org.tamer.training.eval.LabelMap;
import org.tamer.training.eval.MacroAuc;
import org.tamer.training.eval.OperatingPointQuality;
import org.tamer.training.eval.ProbabilityQuality;
import org.tamer.training.eval.ZeroShotEvaluator;
import org.tamer.training.eval.ZeroShotScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Zero-shot macro AUC of a model bundle on a labelled dataset split.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--bundle", required = true, description = "a model bundle folder")
    Path bundle;

    @Option(names = "--dataset", required = true, description = "a folder written by build-dataset")
    Path dataset;

    @Option(names = "--split", defaultValue = "TEST", split = ",",
            description = "one or more of ${COMPLETION-CANDIDATES}, comma-separated (default TEST)")
    List<Split> splits;

    @Option(names = "--prompts", description = "prompt file or shipped set (default: the bundle's prompts)")
    String prompts;

    @Option(names = "--output", required = true, description = "folder for evaluation.json, evaluation.md and (with "
            + "the bundle's own prompts) probabilities.json: Brier score and calibration error of its probabilities")
    Path output;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "bootstrap resamples of the macro AUC's 95% "
            + "interval")
    int bootstrap;

    @Option(names = "--text-encoder", description = TextEncoderOption.DESCRIPTION + "; default: the bundle's (a "
            + "different one is refused)")
    String textEncoder;

    @Option(names = "--normal-class", defaultValue = "NORM", description = "with the bundle's own prompts and "
            + "operating points: the class that alone means normal, for the readings at the operating points")
    String normalClass;

    @Option(names = "--swap-leads-4-5", description = "MERL protocol: exchange aVL and aVF")
    boolean swap;

    @Option(names = "--crop", description = "MERL CPSC protocol: keep the first N samples, zero-pad the rest")
    Integer crop;

    @Option(names = "--label-map", description = "JSON {class: [source labels]} for domain-shift evaluation")
    Path labelMap;

    @Option(names = "--min-positives", defaultValue = "1", description = "positives a class needs to enter the fixed "
            + "class set of the macro AUC and of every bootstrap resample (default 1)")
    int minPositives;

    @Override
    public Integer call() {
        ModelBundle model = ModelBundle.open(bundle);
        PromptDictionary dictionary = prompts == null ? model.manifest().prompts() : Prompts.load(prompts);
        Optional<Map<String, List<String>>> mapping = Optional.ofNullable(labelMap)
                .map(file -> LabelMap.read(file, dictionary.classes()));
        EvaluationOptions options = new EvaluationOptions(swap, Optional.ofNullable(crop), mapping, bootstrap, 42L,
                minPositives);
        ShardDataset data = ShardDataset.open(dataset);
        BundleInputs.requireSamePreprocessing(data, model);
        ComputeEngine engine = ComputeEngine.load();
        try (NDManager manager = NDManager.newBaseManager(engine.device());
             TextEncoder encoder = TextEncoderOption.forBundle(Optional.ofNullable(textEncoder),
                     model.manifest().textEncoder(), "the bundle " + bundle, engine.device())) {
            TamerNetwork network = model.loadNetwork(manager);
            List<org.tamer.training.dataset.DatasetExample> examples = BundleInputs.examples(data, splits);
            ZeroShotScores scored = new ZeroShotEvaluator(network, encoder, model.manifest().stft()).score(examples,
                    dictionary, options, manager);
            EvaluationReport report = MacroAuc.evaluate(scored.scores(), scored.labels(), scored.classes(),
                    options.bootstrap(), options.seed(), options.minPositives());
            String markdown = report.toMarkdown("Zero-shot evaluation of " + model.manifest().name() + " "
                    + model.manifest().version() + " on " + splits);
            Files.createDirectories(output);
            Files.writeString(output.resolve("evaluation.json"), report.toJson(), StandardCharsets.UTF_8);
            if (prompts == null) {
                // the bundle's own classes: its probabilities (calibrated or not) can be judged too
                ProbabilityQuality quality = ProbabilityQuality.of(scored, model.manifest()::calibrationOf);
                Files.writeString(output.resolve("probabilities.json"), quality.toJson(), StandardCharsets.UTF_8);
                markdown += "\n" + quality.toMarkdown("Probabilities");
                System.out.printf(java.util.Locale.ROOT, "evaluate: mean Brier score %.4f, mean ECE %.4f%n",
                        quality.meanBrier(), quality.meanEce());
                if (!model.manifest().operatingPoints().thresholds().isEmpty()
                        && scored.classes().contains(normalClass)) {
                    OperatingPointQuality points = OperatingPointQuality.of(scored, model.manifest()::calibrationOf,
                            model.manifest().operatingPoints(), normalClass);
                    markdown += "\n## At the operating points\n\n" + String.join("\n", points.lines().stream()
                            .map(line -> "- " + line).toList()) + "\n";
                    points.lines().forEach(line -> System.out.println("evaluate: " + line));
                }
            }
            Files.writeString(output.resolve("evaluation.md"), markdown, StandardCharsets.UTF_8);
            for (EvaluationReport.ClassResult c : report.classes()) {
                System.out.printf(java.util.Locale.ROOT, "evaluate: %-8s %4d positives  AUC %s%s%n", c.code(),
                        c.positives(), Double.isNaN(c.auc()) ? "n/a" : String.format(java.util.Locale.ROOT, "%.4f",
                                c.auc()), c.included() ? "" : "  (not in the class set)");
            }
            System.out.printf(java.util.Locale.ROOT, "evaluate: macro AUC %.4f (95%% %.4f-%.4f) on %d examples, "
                            + "over %d classes with at least %d positive(s) %s%n", report.macroAuc(), report.lower95(),
                    report.upper95(), report.examples(), report.includedClasses().size(), report.minPositives(),
                    report.includedClasses());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }
}
