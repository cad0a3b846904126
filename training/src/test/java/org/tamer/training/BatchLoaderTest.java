package org.tamer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.dataset.DatasetBuilder;
import org.tamer.training.dataset.DatasetBuilderTestAccess;
import org.tamer.training.dataset.DatasetExample;
import org.tamer.training.dataset.EpochOrder;
import org.tamer.training.dataset.ReportCleaner;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.Split;

/**
 * The streamed epoch order and the parallel batch loader on real PTB-XL examples in shards of two: each epoch
 * visits every training example once, mixes shards, differs between epochs, and resumes at any position with the
 * same suffix; the batches do not depend on the number of workers.
 */
class BatchLoaderTest {

    private static ShardDataset dataset;

    @BeforeAll
    static void build(@TempDir Path dir) {
        try (TextEncoder encoder = TextEncoder.embeddedDefault(ComputeEngine.load().device())) {
            new DatasetBuilder(new Preprocessor(PreprocessingConfig.paperDefaults()), encoder, new ReportCleaner(),
                    "salt", 2, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                    .build(DatasetBuilderTestAccess.firstRecords(60), dir);
        }
        dataset = ShardDataset.open(dir);
    }

    @Test
    void everyEpochVisitsEachTrainingExampleOnceInAnOrderOfItsOwn() {
        EpochOrder order = new EpochOrder(dataset, Split.TRAIN, 5L, 2);
        List<String> training = dataset.split(Split.TRAIN).stream().map(DatasetExample::pseudonym).toList();
        assertEquals(training.size(), order.examples());
        assertTrue(dataset.shards().size() >= 6 && training.size() >= 8, "shards: " + dataset.shards().size()
                + ", training examples: " + training.size());
        List<String> epoch0 = pseudonyms(order.epoch(0, 0));
        List<String> epoch1 = pseudonyms(order.epoch(1, 0));
        assertEquals(new HashSet<>(training), new HashSet<>(epoch0));
        assertEquals(training.size(), epoch0.size(), "no example twice");
        assertEquals(new HashSet<>(training), new HashSet<>(epoch1));
        assertNotEquals(epoch0, epoch1);
        assertNotEquals(training, epoch0, "shuffled, not the file order");
        assertEquals(epoch0, pseudonyms(new EpochOrder(dataset, Split.TRAIN, 5L, 2).epoch(0, 0)), "reproducible");
        assertNotEquals(epoch0, pseudonyms(new EpochOrder(dataset, Split.TRAIN, 6L, 2).epoch(0, 0)), "seeded");
        for (int skip : new int[] {1, 3, training.size() / 2, training.size() - 1}) {
            assertEquals(epoch0.subList(skip, epoch0.size()), pseudonyms(order.epoch(0, skip)), "resumed at " + skip);
        }
        // the epoch reads two shards at a time: cut it where a third shard starts, and no shard recurs later
        java.util.Map<String, Integer> shardOf = new java.util.HashMap<>();
        for (ShardDataset.Shard s : dataset.shards()) {
            dataset.readShard(s).forEach(e -> shardOf.put(e.pseudonym(), s.index()));
        }
        Set<Integer> window = new HashSet<>();
        Set<Integer> done = new HashSet<>();
        int windows = 1;
        for (String p : epoch0) {
            int shard = shardOf.get(p);
            if (!window.contains(shard) && window.size() == 2) {
                done.addAll(window);
                window.clear();
                windows++;
            }
            assertTrue(!done.contains(shard), "shard " + shard + " read twice in an epoch");
            window.add(shard);
        }
        assertTrue(windows >= 2, "windows: " + windows);
    }

    @Test
    void batchesDoNotDependOnTheNumberOfWorkers() throws InterruptedException {
        EpochOrder order = new EpochOrder(dataset, Split.TRAIN, 9L, 2);
        List<BatchLoader.HostBatch> one = batches(order, 1);
        List<BatchLoader.HostBatch> three = batches(order, 3);
        assertEquals(one.size(), three.size());
        assertEquals(2 * BatchLoader.stepsPerEpoch(order.examples(), 5), one.size());
        Set<Long> steps = new HashSet<>();
        for (int i = 0; i < one.size(); i++) {
            assertEquals(i, one.get(i).step());
            steps.add(three.get(i).step());
            assertArrayEquals(one.get(i).waveforms(), three.get(i).waveforms());
            assertArrayEquals(one.get(i).spectrograms(), three.get(i).spectrograms());
            assertArrayEquals(one.get(i).tokenFeatures(), three.get(i).tokenFeatures());
        }
        assertEquals(one.size(), steps.size());
    }

    private static List<BatchLoader.HostBatch> batches(EpochOrder order, int workers) throws InterruptedException {
        List<BatchLoader.HostBatch> out = new ArrayList<>();
        try (BatchLoader loader = new BatchLoader(order, 5, 2, 0, 2, workers, StftConfig.paperDefaults())) {
            BatchLoader.HostBatch batch;
            while ((batch = loader.next()) != null) {
                out.add(batch);
            }
        }
        return out;
    }

    private static List<String> pseudonyms(Iterator<DatasetExample> examples) {
        List<String> out = new ArrayList<>();
        examples.forEachRemaining(e -> out.add(e.pseudonym()));
        return out;
    }
}
