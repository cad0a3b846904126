package org.tamer.training.dataset;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
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
 * with pseudonyms instead of identifiers into shards of a fixed size. Unreadable records and dropped reports are
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
    private final PrintStream log;

    public DatasetBuilder(Preprocessor preprocessor, TextEncoder textEncoder, ReportCleaner cleaner, String salt,
                          int shardSize, PrintStream log) {
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
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + output, e);
        }
        List<String> keys = source.keys();
        Progress progress = new Progress("build-dataset", "records", keys.size(), log);
        Map<String, Integer> dropped = new TreeMap<>();
        Map<Split, Integer> bySplit = new EnumMap<>(Split.class);
        List<String> skipped = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        JsonArray shards = new JsonArray();
        int read = 0;
        for (String key : keys) {
            LabelledRecord labelled;
            try {
                labelled = source.read(key);
                read++;
            } catch (EcgFormatException e) {
                skipped.add(key + "\t" + e.getMessage().replace('\t', ' ').replace('\n', ' '));
                dropped.merge("unreadable", 1, Integer::sum);
                progress.update(read + skipped.size());
                continue;
            }
            ReportCleaner.Cleaned cleaned = cleaner.clean(labelled.record().reportText());
            if (cleaned.dropped().isPresent()) {
                dropped.merge("report " + cleaned.dropped().get().name().toLowerCase(java.util.Locale.ROOT), 1,
                        Integer::sum);
            } else {
                try {
                    PreprocessedEcg ecg = preprocessor.apply(labelled.record());
                    pending.add(new Pending(labelled, cleaned.text().orElseThrow(), ecg));
                } catch (IllegalArgumentException e) {
                    skipped.add(key + "\t" + e.getMessage().replace('\t', ' ').replace('\n', ' '));
                    dropped.merge("preprocessing failed", 1, Integer::sum);
                }
            }
            if (pending.size() == shardSize) {
                shards.add(writeShard(output, shards.size(), pending, bySplit));
                pending.clear();
            }
            progress.update(read + skipped.size());
        }
        if (!pending.isEmpty()) {
            shards.add(writeShard(output, shards.size(), pending, bySplit));
        }
        JsonObject manifest = manifest(source, keys.size(), read, dropped, bySplit, shards);
        try {
            Files.writeString(output.resolve(MANIFEST), new GsonBuilder().setPrettyPrinting().create().toJson(manifest)
                    + "\n", StandardCharsets.UTF_8);
            Files.write(output.resolve(SKIPPED), skipped, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest to " + output, e);
        }
        log.printf(java.util.Locale.ROOT, "build-dataset: %d records, %d written in %d shards, dropped %s%n",
                keys.size(), bySplit.values().stream().mapToInt(Integer::intValue).sum(), shards.size(), dropped);
        return manifest;
    }

    private record Pending(LabelledRecord labelled, String report, PreprocessedEcg ecg) {
    }

    private JsonObject writeShard(Path output, int index, List<Pending> pending, Map<Split, Integer> bySplit) {
        List<DatasetExample> examples = new ArrayList<>(pending.size());
        for (int from = 0; from < pending.size(); from += TEXT_BATCH) {
            List<Pending> batch = pending.subList(from, Math.min(pending.size(), from + TEXT_BATCH));
            try (NDManager manager = NDManager.newBaseManager(textEncoder.device())) {
                ReportFeatures features = textEncoder.encode(batch.stream().map(Pending::report).toList(), manager);
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
                    Pending p = batch.get(b);
                    LabelledRecord l = p.labelled();
                    examples.add(new DatasetExample(pseudonym(l.record().id()), pseudonym(l.patient()), l.split(),
                            p.report(), l.labels(), p.ecg().toArray(), t, w, g));
                    bySplit.merge(l.split(), 1, Integer::sum);
                }
            }
        }
        String name = String.format("shard-%05d.bin", index);
        try {
            Path temporary = Files.createTempFile(output, name, ".part");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary),
                    1 << 20))) {
                ShardFormat.write(out, examples);
            }
            Files.move(temporary, output.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            JsonObject shard = new JsonObject();
            shard.addProperty("file", name);
            shard.addProperty("examples", examples.size());
            shard.addProperty("sha256", sha256(Files.readAllBytes(output.resolve(name))));
            return shard;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output.resolve(name), e);
        }
    }

    private JsonObject manifest(TrainingSource source, int records, int read, Map<String, Integer> dropped,
                                Map<Split, Integer> bySplit, JsonArray shards) {
        JsonObject m = new JsonObject();
        m.addProperty("format", "tamer-dataset/1");
        m.addProperty("source", source.description());
        JsonObject counts = new JsonObject();
        counts.addProperty("records", records);
        counts.addProperty("read", read);
        JsonObject splits = new JsonObject();
        for (Split split : Split.values()) {
            splits.addProperty(split.name().toLowerCase(java.util.Locale.ROOT), bySplit.getOrDefault(split, 0));
        }
        counts.add("written", splits);
        JsonObject drops = new JsonObject();
        dropped.forEach(drops::addProperty);
        counts.add("dropped", drops);
        m.add("counts", counts);
        m.addProperty("preprocessing", preprocessor.config().toString());
        JsonObject text = new JsonObject();
        text.addProperty("reference", textEncoder.source().reference());
        text.addProperty("sha256", textEncoder.weightsSha256());
        text.addProperty("pooling", textEncoder.pooling().name());
        text.addProperty("maxTokens", textEncoder.maxTokens());
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
