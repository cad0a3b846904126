package org.tamer.training.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.inference.Calibration;
import org.tamer.runtime.inference.OperatingPoints;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.dataset.DatasetExample;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.Split;
import org.tamer.training.eval.EvaluationOptions;
import org.tamer.training.eval.OperatingPointSelection;
import org.tamer.training.eval.PlattScaling;
import org.tamer.training.eval.ProbabilityQuality;
import org.tamer.training.eval.ZeroShotEvaluator;
import org.tamer.training.eval.ZeroShotScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "calibrate", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Fit each class's score-to-probability calibration (Platt scaling) on a labelled split, "
                + "choose each class's operating point there (Youden's J), and write the bundle with both.",
            "Ranking and AUC do not change; the probabilities the gateway reports become frequencies. Judge them on "
                + "another split with evaluate."})
final class CalibrateCommand implements Callable<Integer> {

    @Option(names = "--bundle", required = true, description = "the model bundle to calibrate")
    Path bundle;

    @Option(names = "--dataset", required = true, description = "a labelled folder written by build-dataset")
    Path dataset;

    @Option(names = "--split", defaultValue = "VALIDATION", split = ",",
            description = "the split(s) to fit on: ${COMPLETION-CANDIDATES} (default VALIDATION)")
    List<Split> splits;

    @Option(names = "--output", required = true, description = "the bundle folder to write (replaced atomically; "
            + "may be --bundle itself, though other files in that folder are not kept)")
    Path output;

    @Option(names = "--text-encoder", description = TextEncoderOption.DESCRIPTION + "; default: the bundle's (a "
            + "different one is refused)")
    String textEncoder;

    @Override
    public Integer call() {
        ModelBundle model = ModelBundle.open(bundle);
        ShardDataset data = ShardDataset.open(dataset);
        BundleInputs.requireSamePreprocessing(data, model);
        List<DatasetExample> examples = BundleInputs.examples(data, splits);
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(dataset + " has no examples in " + splits);
        }
        ComputeEngine engine = ComputeEngine.load();
        try (NDManager manager = NDManager.newBaseManager(engine.device());
             TextEncoder encoder = TextEncoderOption.forBundle(Optional.ofNullable(textEncoder),
                     model.manifest().textEncoder(), "the bundle " + bundle, engine.device())) {
            TamerNetwork network = model.loadNetwork(manager);
            ZeroShotScores scored = new ZeroShotEvaluator(network, encoder, model.manifest().stft()).score(examples,
                    model.manifest().prompts(), EvaluationOptions.standard(), manager);
            Map<String, Calibration> calibrations = PlattScaling.fitAll(scored);
            for (String code : scored.classes()) {
                if (!calibrations.containsKey(code)) {
                    System.out.println("calibrate: " + code + " has no positive or no negative example in "
                            + splits + "; left uncalibrated");
                }
            }
            ProbabilityQuality before = ProbabilityQuality.of(scored, model.manifest()::calibrationOf);
            ProbabilityQuality after = ProbabilityQuality.of(scored,
                    code -> calibrations.getOrDefault(code, Calibration.IDENTITY));
            OperatingPoints points = OperatingPointSelection.youden(scored,
                    code -> calibrations.getOrDefault(code, Calibration.IDENTITY),
                    splits.stream().map(Split::name).collect(java.util.stream.Collectors.joining("+")));
            ModelBundle written = ModelBundle.write(output, model.manifest().withCalibration(calibrations)
                    .withOperatingPoints(points), network);
            for (ProbabilityQuality.ClassQuality q : after.classes()) {
                System.out.printf(Locale.ROOT, "calibrate: %-8s temperature %.5g bias %.4g  Brier %.4f%n", q.code(),
                        q.calibration().temperature(), q.calibration().bias(), q.brier());
            }
            points.thresholds().forEach((code, threshold) -> System.out.printf(Locale.ROOT,
                    "calibrate: %-8s operating point %.4f%n", code, threshold));
            System.out.println("calibrate: operating points by " + points.method());
            System.out.printf(Locale.ROOT, "calibrate: on %d examples of %s, mean Brier %.4f -> %.4f, mean ECE "
                    + "%.4f -> %.4f (fitted here; judge on another split)%n", scored.examples(), splits,
                    before.meanBrier(), after.meanBrier(), before.meanEce(), after.meanEce());
            System.out.println("calibrate: wrote " + written.directory() + " (revision "
                    + written.revision().substring(0, 12) + ")");
        }
        return 0;
    }
}
