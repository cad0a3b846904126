package org.tamer.training.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.training.DataLoading;
import org.tamer.training.PretrainConfig;
import org.tamer.training.Pretrainer;
import org.tamer.training.RunConfiguration;
import org.tamer.training.TrainingStop;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.loss.EcgTokenWeighting;
import org.tamer.training.loss.InfoNceDenominator;
import org.tamer.training.loss.TamerLossConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

@Command(name = "pretrain", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Pre-train TAMER on a dataset's training split (defaults are the paper's).",
            "Every option is kept in the run folder's run.json: --resume needs only --run (an option given again must "
                + "have its recorded value, except --learning-rate, which a resumed run may lower). Ctrl-C or SIGTERM finishes the running step, writes a checkpoint and "
                + "exits with 130."})
final class PretrainCommand implements Callable<Integer> {

    /** Exit code after a stop on SIGINT or SIGTERM (128 + SIGINT, as shells report an interrupted command). */
    static final int STOPPED = 130;

    /** Options that belong to one call, not to the run. */
    private static final Set<String> PER_CALL = Set.of("--run", "--resume", "--max-steps", "--init-only", "--help",
            "--version");

    /** Options a resumed run may change: the way back after a loss that became non-finite. */
    private static final Set<String> CHANGEABLE_ON_RESUME = Set.of("--learning-rate");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", description = "a folder written by build-dataset (required unless --resume)")
    Path dataset;

    @Option(names = "--run", required = true, description = "the run folder (run.json, log, checkpoints)")
    Path run;

    @Option(names = "--architecture", defaultValue = "paper", description = "paper or compact")
    String architecture;

    @Option(names = "--batch-size", defaultValue = "256", description = "ECG-report pairs per step")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "50", description = "passes over the training split")
    int epochs;

    @Option(names = "--learning-rate", defaultValue = "2e-4", description = "AdamW rate at the top of each cycle")
    float learningRate;

    @Option(names = "--weight-decay", defaultValue = "1e-7", description = "AdamW decoupled weight decay")
    float weightDecay;

    @Option(names = "--t0", defaultValue = "40000", description = "steps per cosine cycle before a warm restart")
    int t0;

    @Option(names = "--temperature", defaultValue = "0.04", description = "tau of RLCA, UECR, RADA and lambda of RGWR")
    float temperature;

    @Option(names = "--uecr-dropout", defaultValue = "0.1", description = "dropout of UECR's second view")
    float uecrDropout;

    @Option(names = "--checkpoint-every", defaultValue = "500", description = "steps between checkpoints")
    int checkpointEvery;

    @Option(names = "--seed", defaultValue = "20240601", description = "seed of initialisation, data order, dropout")
    long seed;

    @Option(names = "--shards-in-flight", defaultValue = "2", description = "dataset shards read and shuffled "
            + "together; bounds memory (part of the data order: keep it when resuming)")
    int shardsInFlight;

    @Option(names = "--workers", defaultValue = "1", description = "threads preparing batches (spectrograms); the "
            + "order and losses do not depend on it")
    int workers;

    @Option(names = "--loader-queue", defaultValue = "4", description = "prepared batches held ahead of the step")
    int loaderQueue;

    @Option(names = "--max-steps", defaultValue = "-1", description = "stop after this many steps in this call "
            + "(-1: to the end of the run)")
    long maxSteps;

    @Option(names = "--resume", description = "continue from the run folder's last checkpoint with run.json's options")
    boolean resume;

    @Option(names = "--init-only", description = "write the initialised network as the checkpoint, do not train "
            + "(the random-initialisation baseline)")
    boolean initOnly;

    @Option(names = "--no-rlca", description = "drop the RLCA loss term") boolean noRlca;
    @Option(names = "--no-uecr", description = "drop the UECR loss term") boolean noUecr;
    @Option(names = "--no-rada", description = "drop the RADA loss term") boolean noRada;
    @Option(names = "--no-rgwr", description = "drop the RGWR loss term") boolean noRgwr;
    @Option(names = "--no-wlai", description = "mean pooling instead of WLAI") boolean noWlai;
    @Option(names = "--no-spectrogram", description = "drop the spectrogram branch (and RLCA)") boolean noSpectrogram;

    @Option(names = "--denominator", defaultValue = "ALL_PAIRS", description = "Eq. 1: ${COMPLETION-CANDIDATES}")
    InfoNceDenominator denominator;

    @Option(names = "--ecg-token-weighting", defaultValue = "UNIFORM", description = "Eq. 4: ${COMPLETION-CANDIDATES}")
    EcgTokenWeighting ecgTokenWeighting;

    @Override
    public Integer call() {
        JsonObject stored = resume ? storedOptions() : null;
        if (stored != null) {
            RunOptions.restore(spec, stored, PER_CALL, CHANGEABLE_ON_RESUME, System.out);
        }
        if (dataset == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dataset is required"
                    + (resume ? " (" + run.resolve(RunConfiguration.FILE) + " records no options)" : ""));
        }
        // every argument checked before anything is loaded
        TamerLossConfig loss = new TamerLossConfig(temperature, temperature, uecrDropout, !noRlca && !noSpectrogram,
                !noUecr, !noRada, !noRgwr, denominator, ecgTokenWeighting);
        PretrainConfig config = new PretrainConfig(batchSize, epochs, learningRate, weightDecay, t0, checkpointEvery,
                seed, loaderQueue, loss);
        DataLoading loading = new DataLoading(shardsInFlight, workers, loaderQueue);
        if (maxSteps < -1 || maxSteps == 0) {
            throw new IllegalArgumentException("--max-steps must be positive or -1, got " + maxSteps);
        }
        new RunConfiguration(architecture, 1, !noSpectrogram, !noWlai);
        ShardDataset data = ShardDataset.open(dataset);

        ComputeEngine engine = ComputeEngine.load();
        System.out.println("pretrain: " + engine.describe());
        engine.performanceAdvice().ifPresent(advice -> System.out.println("pretrain: warning: " + advice));
        int hidden = data.hiddenSize();
        RunConfiguration runConfiguration = resume && Files.exists(run.resolve(RunConfiguration.FILE))
                ? RunConfiguration.read(run) : new RunConfiguration(architecture, hidden, !noSpectrogram, !noWlai);
        if (runConfiguration.textHiddenSize() != hidden) {
            throw new IllegalArgumentException(run + " was trained on text features of size "
                    + runConfiguration.textHiddenSize() + "; " + dataset + " has " + hidden);
        }
        runConfiguration.write(run);
        writeOptions(data);
        Engine.getInstance().setRandomSeed((int) seed);
        TrainingStop stop = new TrainingStop();
        Thread onSignal = new Thread(() -> {
            try {
                if (stop.request() && stop.awaitStopped(30, TimeUnit.MINUTES)) {
                    System.out.flush();
                    Runtime.getRuntime().halt(STOPPED);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tamer-pretrain-stop");
        try (NDManager manager = NDManager.newBaseManager(engine.device())) {
            TamerNetwork network = new TamerNetwork(runConfiguration.network());
            network.initialize(manager);
            Pretrainer pretrainer = new Pretrainer(network, config, loading, StftConfig.paperDefaults(), run,
                    System.out, stop);
            if (initOnly) {
                pretrainer.saveInitialCheckpoint(manager);
                System.out.println("pretrain: wrote the initialised network to " + run);
                return 0;
            }
            Runtime.getRuntime().addShutdownHook(onSignal);
            Map<String, Float> last;
            try {
                last = pretrainer.train(data, manager, resume, maxSteps);
            } finally {
                removeHook(onSignal);
            }
            System.out.println("pretrain: last step " + last);
            return stop.requested() ? STOPPED : 0;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is stopping on a signal: the hook itself ends the process once the checkpoint is written
        }
    }

    private JsonObject storedOptions() {
        Path file = run.resolve(RunConfiguration.FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonElement options = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject().get("options");
            return options == null ? null : options.getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Adds this call's run options (and the dataset's text encoder) to run.json. */
    private void writeOptions(ShardDataset data) {
        Path file = run.resolve(RunConfiguration.FILE);
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            dataset = dataset.toAbsolutePath().normalize();
            JsonObject options = RunOptions.capture(spec, PER_CALL);
            json.add("options", options);
            if (data.manifest().has("textEncoder")) {
                json.add("textEncoder", data.manifest().getAsJsonObject("textEncoder"));
            }
            json.addProperty("preprocessing", Objects.toString(data.manifest().get("preprocessing").getAsString()));
            Files.writeString(file, new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** For tests: the names of the options that run.json keeps. */
    static boolean kept(OptionSpec option) {
        return !PER_CALL.contains(option.longestName());
    }
}
