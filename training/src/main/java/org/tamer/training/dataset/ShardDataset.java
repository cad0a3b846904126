package org.tamer.training.dataset;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A dataset written by {@link DatasetBuilder}, read back with its shard hashes checked. */
public final class ShardDataset {

    private final JsonObject manifest;
    private final List<DatasetExample> examples;

    private ShardDataset(JsonObject manifest, List<DatasetExample> examples) {
        this.manifest = manifest;
        this.examples = examples;
    }

    public static ShardDataset open(Path directory) {
        try {
            JsonObject manifest = JsonParser.parseString(Files.readString(directory.resolve(DatasetBuilder.MANIFEST),
                    StandardCharsets.UTF_8)).getAsJsonObject();
            List<DatasetExample> examples = new ArrayList<>();
            for (JsonElement shard : manifest.getAsJsonArray("shards")) {
                Path file = directory.resolve(shard.getAsJsonObject().get("file").getAsString());
                byte[] bytes = Files.readAllBytes(file);
                String expected = shard.getAsJsonObject().get("sha256").getAsString();
                if (!DatasetBuilder.sha256(bytes).equals(expected)) {
                    throw new IllegalArgumentException(file + ": SHA-256 does not match the manifest: corrupt shard");
                }
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                        new java.io.ByteArrayInputStream(bytes)))) {
                    examples.addAll(ShardFormat.read(in, file.toString()));
                }
            }
            return new ShardDataset(manifest, List.copyOf(examples));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dataset in " + directory, e);
        }
    }

    public JsonObject manifest() {
        return manifest;
    }

    public List<DatasetExample> examples() {
        return examples;
    }

    public List<DatasetExample> split(Split split) {
        return examples.stream().filter(e -> e.split() == split).toList();
    }
}
