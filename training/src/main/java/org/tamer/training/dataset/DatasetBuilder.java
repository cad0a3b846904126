package org.tamer.training.dataset;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.Digests;
import org.tamer.runtime.preprocess.PreprocessedEcg;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.text.ReportFeatures;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.progress.Progress;

/**
 * Builds a sharded tri-modal dataset from a {@link TrainingSource}: each readable record with a usable report is
 * preprocessed, its report cleaned and encoded once by the frozen text encoder (the cached features), and written
 * with pseudonyms instead of identifiers into shards of a fixed size. A record without any report (an evaluation
 * archive such as CPSC2018 or a Challenge folder) is written only in the validation and test splits, with an empty
 * report and no text features, for zero-shot evaluation; in the training split it is dropped, so pre-training
 * never sees it. The manifest counts both, and the records with labels per class. Unreadable records and dropped reports are
 * counted by reason in the manifest (and unreadable ones listed in {@code skipped.tsv}); nothing fails silently.
 * The output is deterministic: the same input gives byte-identical shards and manifest.
 */
public final class DatasetBuilder {

    public static final String MANIFEST = "manifest.json";
    public static final String SKIPPED = "skipped.tsv";
    private static final int TEXT_BATCH = 32;

    private final Preprocessor preprocessor;
    private final TextEncoder textEncoder;
    private final ReportCleaner cleaner;
    private final String salt;
    private final int shardSize;
    private final ShardEncoding encoding;
    private final PrintStream log;

    public DatasetBuilder(Preprocessor preprocessor, TextEncoder textEncoder, ReportCleaner cleaner, String salt,
                          int shardSize, PrintStream log) {
        this(preprocessor, textEncoder, cleaner, salt, shardSize, ShardEncoding.INT16, log);
    }

    /** @param encoding how shards store their arrays ({@link ShardEncoding#INT16}: about half the bytes) */
    public DatasetBuilder(Preprocessor preprocessor, TextEncoder textEncoder, ReportCleaner cleaner, String salt,
                          int shardSize, ShardEncoding encoding, PrintStream log) {
        this.encoding = Objects.requireNonNull(encoding, "encoding");
        this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
        this.textEncoder = Objects.requireNonNull(textEncoder, "textEncoder");
        this.cleaner = Objects.requireNonNull(cleaner, "cleaner");
        this.salt = Objects.requireNonNull(salt, "salt");
        if (shardSize < 1) {
            throw new IllegalArgumentException("shardSize must be positive");
        }
        this.shardSize = shardSize;
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Builds the dataset into {@code output} (created if needed) and returns its manifest. */
    public JsonObject build(TrainingSource source, Path output) {
        return build(source, output, false);
    }

    /**
     * Builds the dataset into {@code output}; with {@code resume}, continues a build that stopped (its journal, see
     * {@link BuildJournal}) after its last complete shard, giving the same shards and manifest as an uninterrupted
     * build. Resuming a finished build returns its manifest.
     */
    public JsonObject build(TrainingSource source, Path output, boolean resume) {
        List<String> keys = source.keys();
        BuildJournal journal = new BuildJournal(output);
        JsonObject configuration = configuration(source, keys);
        BuildJournal.State state;
        try {
            Files.createDirectories(output);
            deletePartialFiles(output);
            Path manifestFile = output.resolve(MANIFEST);
            if (resume && Files.exists(manifestFile) && !Files.exists(output.resolve(BuildJournal.FILE))) {
                log.println("build-dataset: " + output + " is complete already (" + MANIFEST + ")");
                return JsonParser.parseString(Files.readString(manifestFile, StandardCharsets.UTF_8))
                        .getAsJsonObject();
            }
            Optional<BuildJournal.State> resumed = resume ? journal.resume(configuration) : Optional.empty();
            if (resumed.isPresent()) {
                state = resumed.get();
                log.printf(Locale.ROOT, "build-dataset: resuming after shard %d of %s (record %d of %d)%n",
                        state.shards().size(), output, state.nextKey(), keys.size());
            } else {
                Files.deleteIfExists(manifestFile);
                journal.start(configuration);
                state = BuildJournal.State.empty();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + output, e);
        }
        Map<String, Integer> dropped = new TreeMap<>(state.dropped());
        Map<String, Integer> tallies = new TreeMap<>(state.tallies());
        Map<Split, Integer> bySplit = new EnumMap<>(Split.class);
        bySplit.putAll(state.written());
        List<String> skipped = new ArrayList<>(state.skipped());
        int skippedAtLastShard = skipped.size();
        List<Pending> pending = new ArrayList<>();
        JsonArray shards = state.shards();
        int read = state.read();
        Progress progress = Progress.resumed("build-dataset", "records", keys.size(), state.nextKey(), log);
        for (int index = state.nextKey(); index < keys.size(); index++) {
            String key = keys.get(index);
            LabelledRecord labelled;
            try {
                labelled = source.read(key);
                read++;
            } catch (EcgFormatException e) {
                skipped.add(key + "\t" + e.getMessage().replace('\t', ' ').replace('\n', ' '));
                dropped.merge("unreadable", 1, Integer::sum);
                progress.update(index + 1);
                continue;
            }
            ReportCleaner.Cleaned cleaned = cleaner.clean(labelled.record().reportText());
            boolean evaluationOnly = cleaned.dropped().equals(Optional.of(ReportCleaner.DropReason.MISSING))
                    && labelled.split() != Split.TRAIN;
            if (cleaned.dropped().isPresent() && !evaluationOnly) {
                dropped.merge("report " + cleaned.dropped().get().name().toLowerCase(Locale.ROOT), 1,
                        Integer::sum);
            } else {
                try {
                    PreprocessedEcg ecg = preprocessor.apply(labelled.record());
                    pending.add(new Pending(labelled, cleaned.text(), ecg));
                } catch (IllegalArgumentException e) {
                    skipped.add(key + "\t" + e.getMessage().replace('\t', ' ').replace('\n', ' '));
                    dropped.merge("preprocessing failed", 1, Integer::sum);
                }
            }
            if (pending.size() == shardSize) {
                JsonObject shard = writeShard(output, shards.size(), pending, bySplit, tallies);
                shards.add(shard);
                pending.clear();
                record(journal, shard, new BuildJournal.State(index + 1, read, dropped, bySplit, skipped, shards,
                                tallies),
                        skipped.subList(skippedAtLastShard, skipped.size()));
                skippedAtLastShard = skipped.size();
            }
            progress.update(index + 1);
        }
        if (!pending.isEmpty()) {
            shards.add(writeShard(output, shards.size(), pending, bySplit, tallies));
        }
        JsonObject manifest = manifest(source, keys.size(), read, dropped, bySplit, shards, tallies);
        try {
            Files.write(output.resolve(SKIPPED), skipped, StandardCharsets.UTF_8);
            Files.writeString(output.resolve(MANIFEST), new GsonBuilder().setPrettyPrinting().create().toJson(manifest)
                    + "\n", StandardCharsets.UTF_8);
            journal.delete();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest to " + output, e);
        }
        log.printf(Locale.ROOT, "build-dataset: %d records, %d written in %d shards (%d without a report, for "
                        + "evaluation only; %d with labels), dropped %s%n", keys.size(),
                bySplit.values().stream().mapToInt(Integer::intValue).sum(), shards.size(),
                tallies.getOrDefault(WITHOUT_REPORT + "validation", 0) + tallies.getOrDefault(WITHOUT_REPORT + "test", 0),
                tallies.getOrDefault(LABELLED, 0), dropped);
        return manifest;
    }

    /** What must be the same for a resumed build to continue this one; the salt only by its hash. */
    private JsonObject configuration(TrainingSource source, List<String> keys) {
        JsonObject c = new JsonObject();
        c.addProperty("source", source.description());
        c.addProperty("records", keys.size());
        c.addProperty("recordKeysSha256", sha256(String.join("\n", keys).getBytes(StandardCharsets.UTF_8)));
        c.addProperty("preprocessing", preprocessor.config().toString());
        c.addProperty("textEncoderSha256", textEncoder.weightsSha256());
        c.addProperty("textPooling", textEncoder.pooling().name());
        c.addProperty("maxTokens", textEncoder.maxTokens());
        c.addProperty("saltSha256", sha256(salt.getBytes(StandardCharsets.UTF_8)));
        c.addProperty("shardSize", shardSize);
        c.addProperty("shardFormat", ShardFormat.versionOf(encoding));
        return c;
    }

    private static void record(BuildJournal journal, JsonObject shard, BuildJournal.State state,
                               List<String> newlySkipped) {
        try {
            journal.shardDone(shard, state, newlySkipped);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot journal " + shard.get("file").getAsString(), e);
        }
    }

    /** Shards and journals being written when a build stopped ({@code *.part}); they are written again. */
    private static void deletePartialFiles(Path output) throws IOException {
        try (Stream<Path> files = Files.list(output)) {
            for (Path part : files.filter(f -> f.getFileName().toString().endsWith(".part")).toList()) {
                Files.delete(part);
            }
        }
    }

    /** A record to write; {@code report} is empty for an evaluation-only record without one. */
    private record Pending(LabelledRecord labelled, Optional<String> report, PreprocessedEcg ecg) {
    }

    /** Tally keys of the manifest's {@code counts}: records written without a report, by split; labelled ones. */
    private static final String WITHOUT_REPORT = "withoutReport.";
    private static final String LABELLED = "labelled";
    private static final String POSITIVES = "positives.";

    /** A report's cached text features: token states, [CLS] attention and g^r. */
    private record TextFeatures(float[] tokens, float[] clsAttention, float[] global) {
    }

    private JsonObject writeShard(Path output, int index, List<Pending> pending, Map<Split, Integer> bySplit,
                                  Map<String, Integer> tallies) {
        List<DatasetExample> examples = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            LabelledRecord l = p.labelled();
            if (!l.labels().isEmpty()) {
                tallies.merge(LABELLED, 1, Integer::sum);
                l.labels().forEach(label -> tallies.merge(POSITIVES + label, 1, Integer::sum));
            }
        }
        List<Pending> reported = pending.stream().filter(p -> p.report().isPresent()).toList();
        for (Pending p : pending) {
            if (p.report().isEmpty()) {
                LabelledRecord l = p.labelled();
                examples.add(new DatasetExample(pseudonym(l.record().id()), pseudonym(l.patient()), l.split(), "",
                        l.labels(), p.ecg().toArray(), new float[0], new float[0],
                        new float[textEncoder.hiddenSize()]));
                bySplit.merge(l.split(), 1, Integer::sum);
                tallies.merge(WITHOUT_REPORT + l.split().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
            }
        }
        // machine-statement reports repeat: each distinct report of the shard is encoded once, in batches taken in
        // order of first appearance, so a shard's bytes depend only on its own records (and a resumed build writes
        // the same shards)
        Map<String, TextFeatures> encoded = new java.util.LinkedHashMap<>();
        reported.forEach(p -> encoded.put(p.report().orElseThrow(), null));
        List<String> distinct = List.copyOf(encoded.keySet());
        for (int from = 0; from < distinct.size(); from += TEXT_BATCH) {
            List<String> batch = distinct.subList(from, Math.min(distinct.size(), from + TEXT_BATCH));
            try (NDManager manager = NDManager.newBaseManager(textEncoder.device())) {
                ReportFeatures features = textEncoder.encode(batch, manager);
                float[] tokens = features.tokens().toFloatArray();
                float[] mask = features.mask().toFloatArray();
                float[] cls = features.clsAttention().toFloatArray();
                float[] global = features.global().toFloatArray();
                int maxTokens = (int) features.mask().getShape().get(1);
                int hidden = textEncoder.hiddenSize();
                for (int b = 0; b < batch.size(); b++) {
                    int real = 0;
                    while (real < maxTokens && mask[b * maxTokens + real] > 0) {
                        real++;
                    }
                    float[] t = new float[real * hidden];
                    System.arraycopy(tokens, b * maxTokens * hidden, t, 0, t.length);
                    float[] w = new float[real];
                    System.arraycopy(cls, b * maxTokens, w, 0, real);
                    float[] g = new float[hidden];
                    System.arraycopy(global, b * hidden, g, 0, hidden);
                    encoded.put(batch.get(b), new TextFeatures(t, w, g));
                }
            }
        }
        for (Pending p : reported) {
            TextFeatures f = encoded.get(p.report().orElseThrow());
            LabelledRecord l = p.labelled();
            examples.add(new DatasetExample(pseudonym(l.record().id()), pseudonym(l.patient()), l.split(),
                    p.report().orElseThrow(), l.labels(), p.ecg().toArray(), f.tokens(), f.clsAttention(),
                    f.global()));
            bySplit.merge(l.split(), 1, Integer::sum);
        }
        String name = String.format("shard-%05d.bin", index);
        try {
            Path temporary = Files.createTempFile(output, name, ".part");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel),
                        1 << 20));
                ShardFormat.write(out, examples, encoding);
                out.flush();
                channel.force(true);
            }
            Files.move(temporary, output.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            JsonObject shard = new JsonObject();
            shard.addProperty("file", name);
            shard.addProperty("examples", examples.size());
            shard.addProperty("sha256", sha256(Files.readAllBytes(output.resolve(name))));
            shard.addProperty("bytes", Files.size(output.resolve(name)));
            JsonObject splits = new JsonObject();
            for (Split split : Split.values()) {
                splits.addProperty(split.name().toLowerCase(Locale.ROOT),
                        examples.stream().filter(e -> e.split() == split).count());
            }
            shard.add("splits", splits);
            return shard;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output.resolve(name), e);
        }
    }

    private JsonObject manifest(TrainingSource source, int records, int read, Map<String, Integer> dropped,
                                Map<Split, Integer> bySplit, JsonArray shards, Map<String, Integer> tallies) {
        JsonObject m = new JsonObject();
        m.addProperty("format", "tamer-dataset/1");
        m.addProperty("source", source.description());
        JsonObject counts = new JsonObject();
        counts.addProperty("records", records);
        counts.addProperty("read", read);
        JsonObject splits = new JsonObject();
        for (Split split : Split.values()) {
            splits.addProperty(split.name().toLowerCase(Locale.ROOT), bySplit.getOrDefault(split, 0));
        }
        counts.add("written", splits);
        JsonObject drops = new JsonObject();
        dropped.forEach(drops::addProperty);
        counts.add("dropped", drops);
        JsonObject withoutReport = new JsonObject();
        withoutReport.addProperty("validation", tallies.getOrDefault(WITHOUT_REPORT + "validation", 0));
        withoutReport.addProperty("test", tallies.getOrDefault(WITHOUT_REPORT + "test", 0));
        counts.add("withoutReport", withoutReport);
        counts.addProperty(LABELLED, tallies.getOrDefault(LABELLED, 0));
        JsonObject positives = new JsonObject();
        tallies.forEach((key, n) -> {
            if (key.startsWith(POSITIVES)) {
                positives.addProperty(key.substring(POSITIVES.length()), n);
            }
        });
        counts.add("positives", positives);
        m.add("counts", counts);
        m.addProperty("preprocessing", preprocessor.config().toString());
        m.addProperty("shardFormat", ShardFormat.versionOf(encoding));
        JsonObject text = new JsonObject();
        text.addProperty("reference", textEncoder.source().reference());
        text.addProperty("sha256", textEncoder.weightsSha256());
        text.addProperty("pooling", textEncoder.pooling().name());
        text.addProperty("maxTokens", textEncoder.maxTokens());
        text.addProperty("hiddenSize", textEncoder.hiddenSize());
        m.add("textEncoder", text);
        m.add("shards", shards);
        StringBuilder all = new StringBuilder();
        shards.forEach(s -> all.append(s.getAsJsonObject().get("sha256").getAsString()));
        m.addProperty("sha256", sha256(all.toString().getBytes(StandardCharsets.US_ASCII)));
        return m;
    }

    private String pseudonym(String identifier) {
        return sha256((salt + "|" + identifier).getBytes(StandardCharsets.UTF_8)).substring(0, 24);
    }

    static String sha256(byte[] data) {
        return Digests.sha256Hex(data);
    }
}
