package org.tamer.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.tamer.runtime.DirectoryReplacement;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.text.ReportFeatures;
import org.tamer.training.dataset.EpochOrder;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.Split;
import org.tamer.training.loss.TamerObjective;
import org.tamer.training.optim.AdamW;
import org.tamer.training.optim.CosineWarmRestarts;
import org.tamer.training.progress.Progress;

/**
 * Runs TAMER pre-training on a dataset's training split: batches from a background loader, one
 * {@link PretrainingStep} per batch, a JSON-lines log of every step (each loss term, learning rate, ECGs per
 * second, time spent waiting for the loader, resident memory), and checkpoints (parameters, optimiser moments,
 * step) every N steps and at the end, written atomically ({@link DirectoryReplacement}). Dropout is seeded per step
 * and the data order per epoch, so {@code resume} continues exactly where the checkpoint left off: the next loss
 * equals that of an uninterrupted run. Log lines of steps after the checkpoint (run before a crash, and about to
 * be run again) and a line cut off by the crash are dropped on resuming, so the log reads as one run.
 */
public final class Pretrainer {

    public static final String CHECKPOINT = "checkpoint";
    public static final String LOG = "train-log.jsonl";

    private final TamerNetwork network;
    private final PretrainConfig config;
    private final DataLoading loading;
    private final StftConfig stft;
    private final Path runDirectory;
    private final PrintStream console;
    private final TrainingStop stop;
    private final Gson gson = new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create();

    public Pretrainer(TamerNetwork network, PretrainConfig config, Path runDirectory, PrintStream console) {
        this(network, config, DataLoading.defaults(), StftConfig.paperDefaults(), runDirectory, console,
                new TrainingStop());
    }

    /**
     * @param loading  shards in flight, batch workers and queue
     * @param stft     the spectrogram settings (those the published bundle records)
     * @param stop     asked to stop, the loop finishes its step, writes a checkpoint and returns
     */
    public Pretrainer(TamerNetwork network, PretrainConfig config, DataLoading loading, StftConfig stft,
                      Path runDirectory, PrintStream console, TrainingStop stop) {
        this.network = Objects.requireNonNull(network, "network");
        this.config = Objects.requireNonNull(config, "config");
        this.loading = Objects.requireNonNull(loading, "loading");
        this.stft = Objects.requireNonNull(stft, "stft");
        this.runDirectory = Objects.requireNonNull(runDirectory, "runDirectory");
        this.console = Objects.requireNonNull(console, "console");
        this.stop = Objects.requireNonNull(stop, "stop");
    }

    /**
     * Trains until the configured number of epochs; with {@code resume}, from the last checkpoint in the run
     * directory. {@code manager} owns the network's parameters.
     *
     * @param stopAfter stop (with a checkpoint) after this many steps in this call, or -1 to run to the end
     * @return the losses of the last step
     */
    public Map<String, Float> train(ShardDataset dataset, NDManager manager, boolean resume, long stopAfter) {
        if (!stop.begin()) {
            console.println("pretrain: stopped on request before the first step");
            return Map.of();
        }
        try {
            return trainUntilDoneOrStopped(dataset, manager, resume, stopAfter);
        } finally {
            stop.markStopped();
        }
    }

    private Map<String, Float> trainUntilDoneOrStopped(ShardDataset dataset, NDManager manager, boolean resume,
                                                       long stopAfter) {
        EpochOrder order = new EpochOrder(dataset, Split.TRAIN, config.seed(), loading.shardsInFlight());
        int examples = order.examples();
        if (examples < 2) {
            throw new IllegalArgumentException("the training split has " + examples + " examples; need 2 or more");
        }
        int perEpoch = BatchLoader.stepsPerEpoch(examples, config.batchSize());
        long totalSteps = (long) perEpoch * config.epochs();
        try (AdamW optimizer = new AdamW(manager, config.weightDecay(), 0.9f, 0.999f, 1e-8f)) {
            long step = 0;
            Path checkpoint = runDirectory.resolve(CHECKPOINT);
            if (resume && DirectoryReplacement.recover(checkpoint)) {
                console.println("pretrain: finished the checkpoint replacement that a crash interrupted in "
                        + runDirectory);
            }
            if (resume && Files.exists(checkpoint.resolve("state.json"))) {
                step = restore(manager, optimizer);
                int dropped = truncateLogAfter(step);
                console.println("pretrain: resuming at step " + step + " of " + totalSteps
                        + (dropped > 0 ? "; dropped " + dropped + " log lines written after that checkpoint" : ""));
            } else if (resume && Files.exists(runDirectory.resolve(LOG))) {
                throw new IllegalStateException(runDirectory + " has a training log (" + LOG + ") but no "
                        + CHECKPOINT + "/state.json to resume from; starting over would overwrite the log, so move"
                        + " the folder aside or run without --resume");
            } else {
                Files.createDirectories(runDirectory);
                Files.deleteIfExists(runDirectory.resolve(LOG));
            }
            // parameters loaded from a checkpoint or bundle come back without gradient tracking
            network.getParameters().forEach(p -> {
                if (p.getValue().requiresGradient() && !p.getValue().getArray().hasGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            });
            LastFiniteState lastFinite = new LastFiniteState(network, optimizer, manager);
            PretrainingStep trainingStep = new PretrainingStep(network, new TamerObjective(config.loss()),
                    optimizer, new CosineWarmRestarts(config.learningRate(), 0f, config.cycleSteps()),
                    lastFinite::remember);
            long target = stopAfter >= 0 ? Math.min(totalSteps, step + stopAfter) : totalSteps;
            Progress progress = Progress.resumed("pretrain", "steps", target, step, console);
            Map<String, Float> last = Map.of();
            long stepsThisCall = 0;
            try (lastFinite; BatchLoader loader = new BatchLoader(order, config.batchSize(), config.epochs(), step,
                    Math.max(config.loaderQueue(), loading.queue()), loading.workers(), stft);
                 Writer log = Files.newBufferedWriter(runDirectory.resolve(LOG), StandardCharsets.UTF_8,
                         StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                BatchLoader.HostBatch batch;
                long waitStarted = System.nanoTime();
                while ((batch = loader.next()) != null) {
                    long started = System.nanoTime();
                    double waited = (started - waitStarted) / 1e9;
                    Engine.getInstance().setRandomSeed((int) (config.seed() + batch.step()));
                    try (NDManager batchManager = manager.newSubManager()) {
                        last = trainingStep.run(batchManager, waveforms(batchManager, batch),
                                spectrograms(batchManager, batch), report(batchManager, batch));
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    step = batch.step() + 1;
                    stepsThisCall++;
                    log.write(logLine(step, batch.epoch(), last, batch.size() / seconds, seconds, waited));
                    log.flush();
                    if (!Float.isFinite(last.get("total"))) {
                        throw diverged(step, last.get("total"), batch.step(), lastFinite, optimizer);
                    }
                    progress.update(step, String.format(Locale.ROOT, "loss %.4f  %.1f ECGs/s  step %.2f s  data wait"
                            + " %.2f s%s", last.get("total"), batch.size() / seconds, seconds, waited,
                            target < totalSteps ? "  (run: " + totalSteps + " steps)" : ""));
                    boolean signalled = stop.requested();
                    boolean stopping = stopAfter >= 0 && stepsThisCall >= stopAfter || signalled;
                    if (step % config.checkpointEvery() == 0 || step == totalSteps || stopping) {
                        checkpoint(step, optimizer);
                    }
                    if (signalled) {
                        console.println("pretrain: stopped on request after step " + step + " of " + totalSteps
                                + "; checkpoint written to " + runDirectory.resolve(CHECKPOINT)
                                + "; continue with: pretrain --run " + runDirectory + " --resume");
                        break;
                    }
                    if (stopping) {
                        break;
                    }
                    waitStarted = System.nanoTime();
                }
            }
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException("pre-training run in " + runDirectory + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("pre-training interrupted", e);
        }
    }

    /**
     * The loss of step {@code step} is non-finite: its update was not applied, and the parameters it was computed
     * with may already be diverged (a finite but too large update), so the checkpoint gets the state before the
     * previous update, the last one whose loss was finite. When no update ran in this call the network is the one
     * this call started from: the checkpoint it was resumed from stays, or the initial network is written.
     */
    private IllegalStateException diverged(long step, float loss, long stepIndex, LastFiniteState lastFinite,
                                           AdamW optimizer) throws IOException {
        long completed = lastFinite.restore();
        Path checkpoint = runDirectory.resolve(CHECKPOINT);
        if (completed >= 0) {
            checkpoint(completed, optimizer);
        } else {
            completed = stepIndex;
            if (!Files.exists(checkpoint.resolve("state.json"))) {
                checkpoint(completed, optimizer);
            }
        }
        String lower = new java.math.BigDecimal(Float.toString(config.learningRate())).divide(java.math.BigDecimal.TEN)
                .stripTrailingZeros().toString();
        String message = String.format(Locale.ROOT, "loss became %s at step %d; the checkpoint in %s holds the"
                + " network after step %d (every loss up to step %d was finite); continue at a lower learning rate"
                + " with: bin/tamer-train pretrain --run %s --resume --learning-rate %s", loss, step, checkpoint,
                completed, step - 1, runDirectory, lower);
        console.println("pretrain: " + message);
        return new IllegalStateException(message);
    }

    /**
     * Writes the network as initialised (step 0) as the run's checkpoint, without training: the "randomly
     * initialised network" baseline of the evaluation.
     */
    public void saveInitialCheckpoint(NDManager manager) {
        try (AdamW optimizer = new AdamW(manager, config.weightDecay(), 0.9f, 0.999f, 1e-8f)) {
            Files.createDirectories(runDirectory);
            checkpoint(0, optimizer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the initial checkpoint to " + runDirectory, e);
        }
    }

    private static NDArray waveforms(NDManager m, BatchLoader.HostBatch b) {
        return m.create(b.waveforms(), new Shape(b.size(), 12, b.waveforms().length / b.size() / 12));
    }

    private NDArray spectrograms(NDManager m, BatchLoader.HostBatch b) {
        int perExample = b.spectrograms().length / b.size();
        StftConfig c = stft;
        return m.create(b.spectrograms(), new Shape(b.size(), 12, c.frequencyBins(),
                perExample / 12 / c.frequencyBins()));
    }

    private static ReportFeatures report(NDManager m, BatchLoader.HostBatch b) {
        int hidden = b.global().length / b.size();
        return new ReportFeatures(m.create(b.tokenFeatures(), new Shape(b.size(), b.tokens(), hidden)),
                m.create(b.mask(), new Shape(b.size(), b.tokens())),
                m.create(b.clsAttention(), new Shape(b.size(), b.tokens())),
                m.create(b.global(), new Shape(b.size(), hidden)));
    }

    private String logLine(long step, int epoch, Map<String, Float> losses, double ecgsPerSecond, double seconds,
                           double dataWait) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step);
        line.put("epoch", epoch);
        line.putAll(losses);
        line.put("ecgs_per_second", ecgsPerSecond);
        line.put("step_seconds", seconds);
        line.put("data_wait_seconds", dataWait);
        line.put("rss_mib", residentMemoryMiB());
        return gson.toJson(line) + "\n";
    }

    private void checkpoint(long step, AdamW optimizer) throws IOException {
        Path target = runDirectory.resolve(CHECKPOINT);
        Path staging = Files.createTempDirectory(runDirectory, ".checkpoint-");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(staging.resolve("parameters.bin"))))) {
            network.saveParameters(out);
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(staging.resolve("optimizer.bin"))))) {
            optimizer.save(out);
        }
        JsonObject state = new JsonObject();
        state.addProperty("step", step);
        state.addProperty("seed", config.seed());
        state.addProperty("batchSize", config.batchSize());
        Files.writeString(staging.resolve("state.json"), state.toString(), StandardCharsets.UTF_8);
        DirectoryReplacement.replace(staging, target);
    }

    /**
     * Keeps the log lines of steps up to {@code step} (those the checkpoint includes) and drops the rest, also a
     * last line that a crash cut off; the log is rewritten beside itself and moved into place.
     *
     * @return how many lines were dropped
     */
    private int truncateLogAfter(long step) throws IOException {
        Path log = runDirectory.resolve(LOG);
        if (!Files.exists(log)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            JsonObject entry;
            try {
                entry = JsonParser.parseString(line).getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                if (i == lines.size() - 1) {
                    break;
                }
                throw new IllegalStateException(log + ", line " + (i + 1) + ": not a JSON object; the log was"
                        + " changed by something other than pretrain", e);
            }
            if (!entry.has("step")) {
                throw new IllegalStateException(log + ", line " + (i + 1) + ": no \"step\" field");
            }
            if (entry.get("step").getAsLong() <= step) {
                kept.add(line);
            }
        }
        int dropped = lines.size() - kept.size();
        if (dropped > 0) {
            Path rewritten = Files.createTempFile(runDirectory, "." + LOG, ".tmp");
            Files.write(rewritten, kept, StandardCharsets.UTF_8);
            Files.move(rewritten, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return dropped;
    }

    private long restore(NDManager manager, AdamW optimizer) throws IOException {
        Path source = runDirectory.resolve(CHECKPOINT);
        JsonObject state = JsonParser.parseString(Files.readString(source.resolve("state.json"),
                StandardCharsets.UTF_8)).getAsJsonObject();
        if (state.get("seed").getAsLong() != config.seed() || state.get("batchSize").getAsInt() != config.batchSize()) {
            throw new IllegalArgumentException(source + " was written with seed " + state.get("seed") + " and batch "
                    + state.get("batchSize") + "; resume with the same settings");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                Files.newInputStream(source.resolve("parameters.bin"))))) {
            network.loadParameters(manager, in);
        } catch (ai.djl.MalformedModelException e) {
            throw new IllegalArgumentException(source + "/parameters.bin does not fit this network: " + e.getMessage(),
                    e);
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                Files.newInputStream(source.resolve("optimizer.bin"))))) {
            optimizer.load(in);
        }
        return state.get("step").getAsLong();
    }

    private static long residentMemoryMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

}
