package org.tamer.training.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.tamer.runtime.bundle.ModelBundle;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.Callable;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.PretrainConfig;
import org.tamer.training.dataset.PatientSplitter;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.TrainingSource;
import org.tamer.training.loss.TamerLossConfig;
import org.tamer.training.retrain.CronSchedule;
import org.tamer.training.retrain.RetrainingJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "retrain", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Retrain from an archive's new records, now or on a cron schedule, and publish the new bundle "
                + "only if its zero-shot macro AUC on a fixed validation set is not lower.")
final class RetrainCommand implements Callable<Integer> {

    @Option(names = "--source", required = true, description = "archive layout: ${COMPLETION-CANDIDATES}")
    BuildDatasetCommand.SourceKind source;

    @Option(names = "--input", required = true, description = "the archive's root folder")
    Path input;

    @Option(names = "--english-reports", description = "PTB-XL: reports composed from the statements")
    boolean englishReports;

    @Option(names = "--bundle", required = true, description = "the published bundle to continue from and replace")
    Path bundle;

    @Option(names = "--validation", required = true, description = "a dataset whose validation split is the fixed "
            + "comparison set")
    Path validation;

    @Option(names = "--state", required = true, description = "folder for seen records, runs and history.jsonl")
    Path state;

    @Option(names = "--schedule", description = "cron expression (minute hour day month weekday); without it, run once")
    String schedule;

    @Option(names = "--batch-size", defaultValue = "256", description = "ECG-report pairs per step")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "1", description = "passes over the new records")
    int epochs;

    @Option(names = "--learning-rate", defaultValue = "2e-4", description = "AdamW rate")
    float learningRate;

    @Option(names = "--text-encoder", description = TextEncoderOption.DESCRIPTION + "; default: the bundle's (a "
            + "different one is refused)")
    String textEncoder;

    @Override
    public Integer call() throws InterruptedException {
        ModelBundle current = ModelBundle.open(bundle);
        ComputeEngine engine = ComputeEngine.load();
        TrainingSource archive = BuildDatasetCommand.source(source, input, true, englishReports,
                PatientSplitter.hashed(0.1, 0.1, "retrain"));
        PretrainConfig training = new PretrainConfig(batchSize, epochs, learningRate, 1e-7f, 40_000, 500, 20_240_601L,
                4, TamerLossConfig.paper());
        try (TextEncoder encoder = TextEncoderOption.forBundle(Optional.ofNullable(textEncoder),
                current.manifest().textEncoder(), "the bundle " + bundle, engine.device())) {
            RetrainingJob job = new RetrainingJob(state, bundle, ShardDataset.open(validation), training, engine,
                    encoder, new Preprocessor(current.manifest().preprocessing()), System.out);
            if (schedule == null) {
                job.runOnce(archive);
                return 0;
            }
            CronSchedule cron = new CronSchedule(schedule);
            while (true) {
                ZonedDateTime next = cron.next(ZonedDateTime.now());
                System.out.println("retrain: next run at " + next);
                Thread.sleep(Math.max(0, Duration.between(ZonedDateTime.now(), next).toMillis()));
                job.runOnce(archive);
            }
        }
    }
}
