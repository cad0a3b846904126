package org.tamer.training.retrain;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tamer.runtime.bundle.BundleManifest;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.inference.ClassEmbeddings;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.PretrainConfig;
import org.tamer.training.Pretrainer;
import org.tamer.training.dataset.DatasetBuilder;
import org.tamer.training.dataset.LabelledRecord;
import org.tamer.training.dataset.ReportCleaner;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.Split;
import org.tamer.training.dataset.TrainingSource;
import org.tamer.training.eval.EvaluationOptions;
import org.tamer.training.eval.MacroAuc;
import org.tamer.training.eval.PlattScaling;
import org.tamer.training.eval.ZeroShotEvaluator;
import org.tamer.training.eval.ZeroShotScores;

/**
 * Periodic retraining: the archive's records not seen by earlier runs become a dataset; pre-training continues
 * from the current bundle on it; both networks are evaluated zero-shot on a fixed validation set (the validation
 * split of a dataset built once for the purpose) with the bundle's
 * prompts; the new bundle is published (atomically, version bumped) only if its macro AUC is not lower. Every run
 * appends to {@code history.jsonl} in the state folder; seen records are remembered only after a run completes, so
 * a crash repeats the run instead of skipping records, and only when its candidate is published (or there was
 * nothing to train on), so a rejected candidate's records are trained on again by the next run. A candidate whose
 * validation scores are not all finite is rejected whatever its AUC (NaN scores sort arbitrarily).
 */
public final class RetrainingJob {

    private final Path state;
    private final Path bundleDirectory;
    private final ShardDataset validation;
    private final PretrainConfig training;
    private final ComputeEngine engine;
    private final TextEncoder textEncoder;
    private final Preprocessor preprocessor;
    private final PrintStream log;

    public RetrainingJob(Path state, Path bundleDirectory, ShardDataset validation, PretrainConfig training,
                         ComputeEngine engine, TextEncoder textEncoder, Preprocessor preprocessor, PrintStream log) {
        this.state = Objects.requireNonNull(state, "state");
        this.bundleDirectory = Objects.requireNonNull(bundleDirectory, "bundleDirectory");
        this.validation = Objects.requireNonNull(validation, "validation");
        this.training = Objects.requireNonNull(training, "training");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.textEncoder = Objects.requireNonNull(textEncoder, "textEncoder");
        this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
        this.log = Objects.requireNonNull(log, "log");
    }

    public RetrainingOutcome runOnce(TrainingSource archive) {
        try {
            Files.createDirectories(state);
            Path seenFile = state.resolve("seen-keys.txt");
            Set<String> seen = Files.exists(seenFile) ? new HashSet<>(Files.readAllLines(seenFile)) : new HashSet<>();
            List<String> fresh = archive.keys().stream().filter(k -> !seen.contains(k)).toList();
            if (fresh.isEmpty()) {
                return record(new RetrainingOutcome(0, Double.NaN, Double.NaN, false, "no new records"));
            }
            int run;
            try (java.util.stream.Stream<Path> entries = Files.list(state)) {
                run = (int) entries.filter(p -> p.getFileName().toString().startsWith("run-")).count() + 1;
            }
            Path runDirectory = state.resolve(String.format("run-%04d", run));
            new DatasetBuilder(preprocessor, textEncoder, new ReportCleaner(), "retrain", 1024, log)
                    .build(only(archive, fresh), runDirectory.resolve("dataset"));
            ShardDataset data = ShardDataset.open(runDirectory.resolve("dataset"));
            RetrainingOutcome outcome;
            if (data.count(Split.TRAIN) < 2) {
                outcome = new RetrainingOutcome(fresh.size(), Double.NaN, Double.NaN, false,
                        "fewer than two new training examples");
            } else {
                outcome = retrain(fresh.size(), data, runDirectory);
            }
            if (outcome.published() || data.count(Split.TRAIN) < 2) {
                // a rejected candidate leaves its records unseen: they are in no served network, the next run
                // trains on them again
                List<String> all = new ArrayList<>(seen);
                all.addAll(fresh);
                Files.write(seenFile, all.stream().sorted().toList(), StandardCharsets.UTF_8);
            }
            return record(outcome);
        } catch (IOException e) {
            throw new UncheckedIOException("retraining in " + state + " failed", e);
        }
    }

    private RetrainingOutcome retrain(int newRecords, ShardDataset data, Path runDirectory) {
        ModelBundle current = ModelBundle.open(bundleDirectory);
        BundleManifest manifest = current.manifest();
        EvaluationOptions options = new EvaluationOptions(false, java.util.Optional.empty(),
                java.util.Optional.empty(), 200, 42L);
        try (NDManager manager = NDManager.newBaseManager(engine.device())) {
            TamerNetwork baseline = current.loadNetwork(manager);
            double currentAuc = new ZeroShotEvaluator(baseline, textEncoder).evaluate(validation.split(Split.VALIDATION),
                    manifest.prompts(), options, manager).macroAuc();
            TamerNetwork candidate = current.loadNetwork(manager);
            new Pretrainer(candidate, training, runDirectory.resolve("pretrain"), log).train(data, manager, false, -1);
            ZeroShotScores candidateScores = new ZeroShotEvaluator(candidate, textEncoder).score(
                    validation.split(Split.VALIDATION), manifest.prompts(), options, manager);
            if (!allFinite(candidateScores.scores())) {
                return new RetrainingOutcome(newRecords, currentAuc, Double.NaN, false,
                        "the candidate's validation scores are not all finite; the current bundle stays");
            }
            double candidateAuc = MacroAuc.evaluate(candidateScores.scores(), candidateScores.labels(),
                    candidateScores.classes(), options.bootstrap(), options.seed()).macroAuc();
            if (!(candidateAuc >= currentAuc)) {
                return new RetrainingOutcome(newRecords, currentAuc, candidateAuc, false,
                        "candidate macro AUC is lower; the current bundle stays");
            }
            BundleManifest next = new BundleManifest(manifest.formatVersion(), manifest.name(),
                    nextVersion(manifest.version()), Instant.now(), manifest.network(), manifest.preprocessing(),
                    manifest.stft(), manifest.textEncoder(), manifest.prompts(),
                    ClassEmbeddings.compute(candidate, textEncoder, manifest.prompts(), manager),
                    // the old calibration belongs to the old scores: a calibrated bundle is calibrated anew
                    manifest.calibration().isEmpty() ? Map.of() : PlattScaling.fitAll(candidateScores), "pending");
            ModelBundle.write(bundleDirectory, next, candidate);
            return new RetrainingOutcome(newRecords, currentAuc, candidateAuc, true,
                    "candidate macro AUC is not lower; published " + next.version());
        }
    }

    private static boolean allFinite(double[][] scores) {
        for (double[] row : scores) {
            for (double score : row) {
                if (!Double.isFinite(score)) {
                    return false;
                }
            }
        }
        return true;
    }

    static String nextVersion(String version) {
        String[] parts = version.split("\\.");
        try {
            parts[parts.length - 1] = Integer.toString(Integer.parseInt(parts[parts.length - 1]) + 1);
            return String.join(".", parts);
        } catch (NumberFormatException e) {
            return version + ".1";
        }
    }

    private RetrainingOutcome record(RetrainingOutcome outcome) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("newRecords", outcome.newRecords());
        line.put("currentAuc", outcome.currentAuc());
        line.put("candidateAuc", outcome.candidateAuc());
        line.put("published", outcome.published());
        line.put("reason", outcome.reason());
        Files.writeString(state.resolve("history.jsonl"), new GsonBuilder().serializeSpecialFloatingPointValues()
                .create().toJson(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        log.println("retrain: " + outcome.reason());
        return outcome;
    }

    private static TrainingSource only(TrainingSource archive, List<String> keys) {
        return new TrainingSource() {
            @Override
            public String description() {
                return archive.description() + ", " + keys.size() + " new records";
            }

            @Override
            public List<String> keys() {
                return keys;
            }

            @Override
            public LabelledRecord read(String key) {
                return archive.read(key);
            }
        };
    }
}
