package org.tamer.training.dataset;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A dataset written by {@link DatasetBuilder}. Opening it reads only the manifest (the shard index with each
 * shard's file, example count, SHA-256 and, for datasets written since the index carries them, its examples per
 * split); shards are read one at a time when asked for ({@link #readShard}), their hash checked first, so memory
 * holds what the caller keeps, never the whole dataset. {@link #examples()} and {@link #split} collect examples
 * for callers that need them all at once (evaluation of a split).
 */
public final class ShardDataset {

    /** One shard as the manifest lists it; {@code splits} is empty for manifests written before it was recorded. */
    public record Shard(int index, Path file, int examples, String sha256, Optional<Map<Split, Integer>> splits) {
    }

    private final Path directory;
    private final JsonObject manifest;
    private final List<Shard> shards;

    private ShardDataset(Path directory, JsonObject manifest, List<Shard> shards) {
        this.directory = directory;
        this.manifest = manifest;
        this.shards = shards;
    }

    /** Reads the manifest and checks that every shard it lists is there; no shard is read yet. */
    public static ShardDataset open(Path directory) {
        Path file = directory.resolve(DatasetBuilder.MANIFEST);
        JsonObject manifest;
        try {
            manifest = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(directory + " is not a dataset: it has no " + DatasetBuilder.MANIFEST
                    + " (write one with build-dataset, or finish a stopped build with build-dataset --resume)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a dataset manifest (" + e.getMessage() + ")", e);
        }
        if (!manifest.has("shards")) {
            throw new IllegalArgumentException(file + ": no \"shards\" index");
        }
        List<Shard> shards = new ArrayList<>();
        for (JsonElement element : manifest.getAsJsonArray("shards")) {
            JsonObject entry = element.getAsJsonObject();
            Path shardFile = directory.resolve(entry.get("file").getAsString());
            if (!shardFile.normalize().startsWith(directory.normalize())) {
                throw new IllegalArgumentException(file + ": shard " + entry.get("file") + " lies outside the dataset");
            }
            if (!Files.isRegularFile(shardFile)) {
                throw new IllegalArgumentException(shardFile + ": listed in " + file + " but missing");
            }
            Optional<Map<Split, Integer>> splits = Optional.empty();
            if (entry.has("splits")) {
                Map<Split, Integer> counts = new EnumMap<>(Split.class);
                for (Split split : Split.values()) {
                    JsonElement n = entry.getAsJsonObject("splits").get(split.name().toLowerCase(Locale.ROOT));
                    counts.put(split, n == null ? 0 : n.getAsInt());
                }
                splits = Optional.of(counts);
            }
            shards.add(new Shard(shards.size(), shardFile, entry.get("examples").getAsInt(),
                    entry.get("sha256").getAsString(), splits));
        }
        return new ShardDataset(directory, manifest, List.copyOf(shards));
    }

    public Path directory() {
        return directory;
    }

    public JsonObject manifest() {
        return manifest;
    }

    /** The shard index, in the manifest's order. */
    public List<Shard> shards() {
        return shards;
    }

    /** Examples in a split, from the manifest's counts (no shard is read). */
    public int count(Split split) {
        JsonObject written = manifest.getAsJsonObject("counts").getAsJsonObject("written");
        JsonElement n = written.get(split.name().toLowerCase(Locale.ROOT));
        return n == null ? 0 : n.getAsInt();
    }

    /** The text encoder's hidden size: from the manifest, or (older manifests) from the first example. */
    public int hiddenSize() {
        JsonObject text = manifest.getAsJsonObject("textEncoder");
        if (text != null && text.has("hiddenSize")) {
            return text.get("hiddenSize").getAsInt();
        }
        for (Shard shard : shards) {
            List<DatasetExample> examples = readShard(shard);
            if (!examples.isEmpty()) {
                return examples.get(0).hiddenSize();
            }
        }
        throw new IllegalArgumentException(directory + " has no examples");
    }

    /**
     * Reads one shard after checking its SHA-256 against the manifest. A shard that does not match or cannot be
     * decoded is named with the reason.
     */
    public List<DatasetExample> readShard(Shard shard) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(shard.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shard " + shard.file(), e);
        }
        String actual = DatasetBuilder.sha256(bytes);
        if (!actual.equals(shard.sha256())) {
            throw new IllegalArgumentException(shard.file() + ": SHA-256 " + actual + " does not match the manifest's "
                    + shard.sha256() + ": corrupt shard (" + bytes.length + " bytes)");
        }
        try {
            List<DatasetExample> examples = ShardFormat.read(bytes, shard.file().toString());
            if (examples.size() != shard.examples()) {
                throw new IllegalArgumentException(shard.file() + ": " + examples.size() + " examples, the manifest"
                        + " lists " + shard.examples());
            }
            return examples;
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Every example, all in memory: for small datasets and tests; training streams shards instead. */
    public List<DatasetExample> examples() {
        List<DatasetExample> all = new ArrayList<>();
        shards.forEach(s -> all.addAll(readShard(s)));
        return List.copyOf(all);
    }

    /** The examples of one split, read shard by shard (memory: that split and one shard). */
    public List<DatasetExample> split(Split split) {
        List<DatasetExample> selected = new ArrayList<>();
        for (Shard shard : shards) {
            if (shard.splits().map(s -> s.get(split) == 0).orElse(false)) {
                continue;
            }
            for (DatasetExample e : readShard(shard)) {
                if (e.split() == split) {
                    selected.add(e);
                }
            }
        }
        return List.copyOf(selected);
    }
}
