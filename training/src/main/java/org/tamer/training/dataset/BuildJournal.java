package org.tamer.training.dataset;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a dataset build has finished, so that {@code build-dataset --resume} continues after a crash instead of
 * starting over: {@code build-journal.jsonl} in the output folder, a first line with the build's configuration and
 * one line per shard, appended (and flushed to disk) once the shard is in place, with the counts up to that shard.
 * Resuming checks that the configuration is the same and each journalled shard still has its hash; it continues
 * after the last shard that does. The journal is removed once the manifest is written.
 */
final class BuildJournal {

    static final String FILE = "build-journal.jsonl";

    /**
     * The builder's counts at a shard boundary: where the next record starts and what came before it;
     * {@code tallies} are further counts of written records (e.g. those without a report, those with labels).
     */
    record State(int nextKey, int read, Map<String, Integer> dropped, Map<Split, Integer> written,
                 List<String> skipped, JsonArray shards, Map<String, Integer> tallies) {

        State(int nextKey, int read, Map<String, Integer> dropped, Map<Split, Integer> written, List<String> skipped,
              JsonArray shards) {
            this(nextKey, read, dropped, written, skipped, shards, new TreeMap<>());
        }

        static State empty() {
            return new State(0, 0, new TreeMap<>(), new EnumMap<>(Split.class), new ArrayList<>(), new JsonArray());
        }
    }

    private final Path file;

    BuildJournal(Path output) {
        this.file = output.resolve(FILE);
    }

    /** Starts a new journal with the configuration, replacing an old one. */
    void start(JsonObject configuration) throws IOException {
        JsonObject line = new JsonObject();
        line.add("configuration", configuration);
        Path fresh = Files.createTempFile(file.getParent(), FILE, ".part");
        Files.writeString(fresh, line + "\n", StandardCharsets.UTF_8);
        force(fresh);
        Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Records a shard that is in place with the counts up to it; {@code newlySkipped}: the skips since the last. */
    void shardDone(JsonObject shard, State state, List<String> newlySkipped) throws IOException {
        JsonObject line = new JsonObject();
        line.add("shard", shard);
        line.addProperty("nextKey", state.nextKey());
        line.addProperty("read", state.read());
        JsonObject dropped = new JsonObject();
        state.dropped().forEach(dropped::addProperty);
        line.add("dropped", dropped);
        JsonObject written = new JsonObject();
        state.written().forEach((split, n) -> written.addProperty(split.name(), n));
        line.add("written", written);
        JsonObject tallies = new JsonObject();
        state.tallies().forEach(tallies::addProperty);
        line.add("tallies", tallies);
        JsonArray skipped = new JsonArray();
        newlySkipped.forEach(skipped::add);
        line.add("skipped", skipped);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
    }

    void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * The state after the last journalled shard whose file still has its hash, or empty when there is no journal.
     *
     * @throws IllegalArgumentException naming the setting when the journal was written with other settings
     */
    Optional<State> resume(JsonObject configuration) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        JsonObject recorded = parse(lines, 0).flatMap(l -> Optional.ofNullable(l.getAsJsonObject("configuration")))
                .orElseThrow(() -> new IllegalArgumentException(file + ", line 1: no \"configuration\"; delete the"
                        + " output folder and build again"));
        for (String key : configuration.keySet()) {
            JsonElement then = recorded.get(key);
            if (!configuration.get(key).equals(then)) {
                throw new IllegalArgumentException(file + ": the build being resumed had " + key + " = " + then
                        + ", this one has " + configuration.get(key) + "; resume with the same settings and input,"
                        + " or build without --resume");
            }
        }
        JsonObject last = null;
        JsonArray shards = new JsonArray();
        List<String> skipped = new ArrayList<>();
        int kept = 1;
        for (int i = 1; i < lines.size(); i++) {
            Optional<JsonObject> line = parse(lines, i);
            if (line.isEmpty() || !shardIntact(line.get().getAsJsonObject("shard"))) {
                break;
            }
            last = line.get();
            shards.add(last.getAsJsonObject("shard"));
            last.getAsJsonArray("skipped").forEach(s -> skipped.add(s.getAsString()));
            kept = i + 1;
        }
        if (kept < lines.size()) {
            Path truncated = Files.createTempFile(file.getParent(), FILE, ".part");
            Files.write(truncated, lines.subList(0, kept), StandardCharsets.UTF_8);
            force(truncated);
            Files.move(truncated, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return Optional.of(last == null ? State.empty() : stateAfter(last, skipped, shards));
    }

    private boolean shardIntact(JsonObject shard) throws IOException {
        Path shardFile = file.resolveSibling(shard.get("file").getAsString());
        return Files.exists(shardFile)
                && DatasetBuilder.sha256(Files.readAllBytes(shardFile)).equals(shard.get("sha256").getAsString());
    }

    /** The state after a shard's line: its counts are cumulative; the skips and shards are those of every line. */
    private static State stateAfter(JsonObject line, List<String> skipped, JsonArray shards) {
        Map<String, Integer> dropped = new TreeMap<>();
        line.getAsJsonObject("dropped").entrySet().forEach(e -> dropped.put(e.getKey(), e.getValue().getAsInt()));
        Map<Split, Integer> written = new EnumMap<>(Split.class);
        line.getAsJsonObject("written").entrySet()
                .forEach(e -> written.put(Split.valueOf(e.getKey().toUpperCase(Locale.ROOT)), e.getValue().getAsInt()));
        Map<String, Integer> tallies = new TreeMap<>();
        if (line.has("tallies")) {
            line.getAsJsonObject("tallies").entrySet().forEach(e -> tallies.put(e.getKey(), e.getValue().getAsInt()));
        }
        return new State(line.get("nextKey").getAsInt(), line.get("read").getAsInt(), dropped, written, skipped,
                shards, tallies);
    }

    /** Line {@code index} as a JSON object; empty for a line cut off by a crash (only the last can be). */
    private Optional<JsonObject> parse(List<String> lines, int index) {
        try {
            return Optional.of(JsonParser.parseString(lines.get(index)).getAsJsonObject());
        } catch (JsonParseException | IllegalStateException e) {
            if (index == lines.size() - 1) {
                return Optional.empty();
            }
            throw new IllegalArgumentException(file + ", line " + (index + 1) + ": not a JSON object; the journal was"
                    + " changed by something other than build-dataset", e);
        }
    }

    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
