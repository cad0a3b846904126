package org.tamer.training.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.text.TextEncoder;

/**
 * Both shard layouts on real PTB-XL examples: version 1 (float32) round-trips exactly, version 2 (int16 with a scale
 * per lead and per token) within half a quantisation step of every value and in about half the bytes; other
 * versions and damaged shards are refused with the file and the reason.
 */
class ShardFormatTest {

    private static Path float32;
    private static List<DatasetExample> examples;

    @BeforeAll
    static void build(@TempDir Path dir) {
        try (TextEncoder encoder = TextEncoder.embeddedDefault(ComputeEngine.load().device())) {
            new DatasetBuilder(new Preprocessor(PreprocessingConfig.paperDefaults()), encoder, new ReportCleaner(),
                    "salt", 8, ShardEncoding.FLOAT32, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8)).build(DatasetBuilderTest.firstRecords(40), dir);
        }
        float32 = dir;
        examples = ShardDataset.open(dir).examples();
    }

    @Test
    void version2KeepsEveryValueWithinHalfAStepInAboutHalfTheBytes() throws IOException {
        byte[] v1 = bytes(ShardEncoding.FLOAT32);
        byte[] v2 = bytes(ShardEncoding.INT16);
        List<DatasetExample> exact = ShardFormat.read(v1, "v1");
        List<DatasetExample> compact = ShardFormat.read(v2, "v2");
        double ratio = (double) v2.length / v1.length;
        assertTrue(ratio > 0.45 && ratio < 0.56, "bytes " + v1.length + " -> " + v2.length);
        for (int i = 0; i < examples.size(); i++) {
            DatasetExample e = examples.get(i);
            assertArrayEquals(e.waveform(), exact.get(i).waveform());
            assertArrayEquals(e.tokenFeatures(), exact.get(i).tokenFeatures());
            DatasetExample c = compact.get(i);
            assertEquals(e.pseudonym(), c.pseudonym());
            assertEquals(e.report(), c.report());
            assertEquals(e.labels(), c.labels());
            assertArrayEquals(e.global(), c.global(), "g^r stays float32");
            assertArrayEquals(e.clsAttention(), c.clsAttention(), "[CLS] attention stays float32");
            assertWithinHalfStep(e.waveform(), c.waveform(), 12, "waveform of " + e.pseudonym());
            assertWithinHalfStep(e.tokenFeatures(), c.tokenFeatures(), e.tokenCount(), "tokens of " + e.pseudonym());
        }
    }

    @Test
    void refusesOtherVersionsAndNamesDamagedShards(@TempDir Path dir) throws IOException {
        byte[] v2 = bytes(ShardEncoding.INT16);
        byte[] v9 = v2.clone();
        v9[7] = '9';
        IOException version = assertThrows(IOException.class, () -> ShardFormat.read(v9, "shard-x.bin"));
        assertTrue(version.getMessage().startsWith("shard-x.bin: shard format version '9' (TAMERDS9)")
                && version.getMessage().contains("TAMERDS1 float32, TAMERDS2 int16"), version.getMessage());
        IOException truncated = assertThrows(IOException.class,
                () -> ShardFormat.read(Arrays.copyOf(v2, v2.length / 2), "shard-y.bin"));
        assertEquals("shard-y.bin: the shard ends early (truncated)", truncated.getMessage());

        // a dataset whose shard was changed on disk: the shard is named, with both hashes
        assertTrue(ShardDataset.open(float32).shards().size() >= 2);
        try (var files = Files.list(float32)) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName().toString()));
            }
        }
        byte[] damaged = Files.readAllBytes(dir.resolve("shard-00001.bin"));
        damaged[damaged.length - 3] ^= 1;
        Files.write(dir.resolve("shard-00001.bin"), damaged);
        ShardDataset dataset = ShardDataset.open(dir);
        assertEquals(8, dataset.readShard(dataset.shards().get(0)).size(), "the intact shard still reads");
        IllegalArgumentException corrupt = assertThrows(IllegalArgumentException.class,
                () -> dataset.readShard(dataset.shards().get(1)));
        assertTrue(corrupt.getMessage().startsWith(dir.resolve("shard-00001.bin") + ": SHA-256 ")
                && corrupt.getMessage().contains("corrupt shard"), corrupt.getMessage());
        Files.delete(dir.resolve("shard-00001.bin"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ShardDataset.open(dir));
        assertTrue(missing.getMessage().contains("shard-00001.bin: listed in"), missing.getMessage());
    }

    @Test
    void theManifestIndexesShardsWithTheirSplitsAndFormat() {
        JsonObject manifest = ShardDataset.open(float32).manifest();
        assertEquals("TAMERDS1", manifest.get("shardFormat").getAsString());
        assertEquals(384, manifest.getAsJsonObject("textEncoder").get("hiddenSize").getAsInt());
        ShardDataset dataset = ShardDataset.open(float32);
        for (ShardDataset.Shard shard : dataset.shards()) {
            List<DatasetExample> read = dataset.readShard(shard);
            for (Split split : Split.values()) {
                assertEquals(read.stream().filter(e -> e.split() == split).count(),
                        (long) shard.splits().orElseThrow().get(split), shard.file() + " " + split);
            }
        }
    }

    private static byte[] bytes(ShardEncoding encoding) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            ShardFormat.write(out, examples, encoding);
        }
        return buffer.toByteArray();
    }

    /** Every value within half of its row's step (largest magnitude / 32767), an oracle from the values alone. */
    private static void assertWithinHalfStep(float[] expected, float[] actual, int rows, String what) {
        assertEquals(expected.length, actual.length, what);
        int length = expected.length / rows;
        for (int r = 0; r < rows; r++) {
            float largest = 0;
            for (int i = r * length; i < (r + 1) * length; i++) {
                largest = Math.max(largest, Math.abs(expected[i]));
            }
            double halfStep = largest / 32767.0 / 2;
            for (int i = r * length; i < (r + 1) * length; i++) {
                // plus the float32 rounding of the scale and of sample x scale: a few units in the last place
                assertTrue(Math.abs(expected[i] - actual[i]) <= halfStep + 4 * Math.ulp(largest), what + " row " + r + " value " + i + ": "
                        + expected[i] + " -> " + actual[i]);
            }
        }
    }
}
