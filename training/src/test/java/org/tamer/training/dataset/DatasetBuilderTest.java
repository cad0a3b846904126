package org.tamer.training.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.runtime.testdata.SharedData;

class DatasetBuilderTest {

    private static TextEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = TextEncoder.embeddedDefault(ComputeEngine.load().device());
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    /** The first records of PTB-XL (enough to include validation and test folds). */
    static TrainingSource firstRecords(int n) {
        PtbXlTrainingSource ptbXl = new PtbXlTrainingSource(SharedData.ptbXl(), true, ReportLanguage.ORIGINAL);
        return new TrainingSource() {
            @Override
            public String description() {
                return ptbXl.description() + ", first " + n;
            }

            @Override
            public List<String> keys() {
                return ptbXl.keys().subList(0, n);
            }

            @Override
            public LabelledRecord read(String key) {
                return ptbXl.read(key);
            }
        };
    }

    private JsonObject build(Path dir) {
        return builder(16, new ByteArrayOutputStream()).build(firstRecords(60), dir);
    }

    private static DatasetBuilder builder(int shardSize, ByteArrayOutputStream log) {
        return new DatasetBuilder(new Preprocessor(PreprocessingConfig.paperDefaults()), encoder, new ReportCleaner(),
                "test-salt", shardSize, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    /** The first 60 records, but the process "dies" when it reaches record {@code crashAt}. */
    private static TrainingSource crashingAt(int crashAt) {
        TrainingSource records = firstRecords(60);
        return new TrainingSource() {
            @Override
            public String description() {
                return records.description();
            }

            @Override
            public List<String> keys() {
                return records.keys();
            }

            @Override
            public LabelledRecord read(String key) {
                if (key.equals(records.keys().get(crashAt))) {
                    throw new IllegalStateException("simulated crash at " + key);
                }
                return records.read(key);
            }
        };
    }

    @Test
    void writesPatientWiseSplitsWithCachedTextFeaturesAndNoIdentifiers(@TempDir Path dir) throws IOException {
        JsonObject manifest = build(dir);
        JsonObject counts = manifest.getAsJsonObject("counts");
        int written = counts.getAsJsonObject("written").entrySet().stream().mapToInt(e -> e.getValue().getAsInt()).sum();
        int dropped = counts.getAsJsonObject("dropped").entrySet().stream().mapToInt(e -> e.getValue().getAsInt()).sum();
        assertEquals(60, written + dropped, manifest.toString());
        assertTrue(counts.getAsJsonObject("dropped").has("report fewer_than_four_words"), manifest.toString());
        assertTrue(counts.getAsJsonObject("written").get("validation").getAsInt() > 0);
        assertTrue(counts.getAsJsonObject("written").get("test").getAsInt() > 0);

        ShardDataset dataset = ShardDataset.open(dir);
        assertEquals(written, dataset.examples().size());
        Map<String, Split> splitOfPatient = new HashMap<>();
        for (DatasetExample e : dataset.examples()) {
            Split previous = splitOfPatient.putIfAbsent(e.patient(), e.split());
            assertTrue(previous == null || previous == e.split(), "a patient in two splits");
            assertEquals(12 * 5000, e.waveform().length);
            assertTrue(e.report().split(" ").length >= 4, e.report());
            assertEquals(e.report().toLowerCase(), e.report());
        }
        // cached features equal a fresh encoding of the stored report
        DatasetExample first = dataset.examples().get(0);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(encoder.device())) {
            float[] fresh = encoder.encode(List.of(first.report()), m).global().toFloatArray();
            assertArrayEquals(fresh, first.global(), 1e-5f);
        }
        // no record id, patient id or source file name is stored in the shards
        for (String file : List.of("shard-00000.bin", "shard-00001.bin")) {
            String bytes = new String(Files.readAllBytes(dir.resolve(file)), StandardCharsets.ISO_8859_1);
            assertFalse(bytes.contains("ptbxl-"), file + " holds an identifier");
            assertFalse(bytes.contains("15709"), file + " holds a patient id");
            assertFalse(bytes.contains("records500"), file + " holds a file name");
        }
    }

    @Test
    void resumesAfterACrashWithTheSameShardsAndManifestAsAnUninterruptedBuild(@TempDir Path uninterrupted,
                                                                               @TempDir Path crashed)
            throws IOException {
        JsonObject expected = build(uninterrupted);
        assertThrows(IllegalStateException.class, () -> builder(16, new ByteArrayOutputStream())
                .build(crashingAt(45), crashed));
        assertFalse(Files.exists(crashed.resolve(DatasetBuilder.MANIFEST)), "no manifest for a build that stopped");
        // the crash also cut the journal's last line and left a shard being written
        Files.writeString(crashed.resolve(BuildJournal.FILE), "{\"shard\":{\"file\":\"shard-0",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.write(crashed.resolve("shard-00002.bin123.part"), new byte[100]);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        JsonObject resumed = builder(16, log).build(firstRecords(60), crashed, true);
        String said = log.toString(StandardCharsets.UTF_8);
        Matcher resumedAfter = Pattern.compile("build-dataset: resuming after shard (\\d+) of ").matcher(said);
        assertTrue(resumedAfter.find(), said);
        int shardsKept = Integer.parseInt(resumedAfter.group(1));
        assertTrue(shardsKept >= 1 && shardsKept < expected.getAsJsonArray("shards").size(),
                "the shards written before the crash were kept, the rest written after it: " + said);
        assertEquals(expected, resumed);
        for (var shard : expected.getAsJsonArray("shards")) {
            String name = shard.getAsJsonObject().get("file").getAsString();
            assertArrayEquals(Files.readAllBytes(uninterrupted.resolve(name)),
                    Files.readAllBytes(crashed.resolve(name)), name);
        }
        assertEquals(Files.readAllLines(uninterrupted.resolve(DatasetBuilder.SKIPPED)),
                Files.readAllLines(crashed.resolve(DatasetBuilder.SKIPPED)));
        try (Stream<Path> files = Files.list(crashed)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".part") || n.equals(BuildJournal.FILE)).toList());
        }
        assertEquals(expected, builder(16, new ByteArrayOutputStream()).build(firstRecords(60), crashed, true),
                "resuming a finished build returns its manifest");
    }

    @Test
    void refusesToResumeWithOtherSettings(@TempDir Path crashed) {
        assertThrows(IllegalStateException.class, () -> builder(16, new ByteArrayOutputStream())
                .build(crashingAt(45), crashed));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder(8, new ByteArrayOutputStream()).build(firstRecords(60), crashed, true));
        assertTrue(e.getMessage().contains(BuildJournal.FILE) && e.getMessage().contains("shardSize = 16")
                && e.getMessage().contains("this one has 8"), e.getMessage());
    }

    @Test
    void isDeterministic(@TempDir Path first, @TempDir Path second) throws IOException {
        JsonObject a = build(first);
        JsonObject b = build(second);
        assertEquals(a, b);
        for (var shard : a.getAsJsonArray("shards")) {
            String name = shard.getAsJsonObject().get("file").getAsString();
            assertArrayEquals(Files.readAllBytes(first.resolve(name)), Files.readAllBytes(second.resolve(name)), name);
        }
    }
}
