package org.tamer.training.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;

/**
 * The order in which an epoch visits a split's examples, streamed with at most {@code shardsInFlight} shards in
 * memory: the shards are shuffled by a seed derived from the run's seed and the epoch, taken in windows of
 * {@code shardsInFlight}, and each window's examples of the split shuffled by a seed derived from the epoch and the
 * window. The order depends only on the dataset, the seed, the epoch and the window size, so a run resumed at any
 * position sees exactly the examples an uninterrupted run would. Windows wholly before the resume position are
 * skipped without reading when the manifest gives the shards' split counts.
 */
public final class EpochOrder {

    private final ShardDataset dataset;
    private final Split split;
    private final long seed;
    private final int shardsInFlight;

    public EpochOrder(ShardDataset dataset, Split split, long seed, int shardsInFlight) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.split = Objects.requireNonNull(split, "split");
        if (shardsInFlight < 1) {
            throw new IllegalArgumentException("shardsInFlight must be at least 1, got " + shardsInFlight);
        }
        this.seed = seed;
        this.shardsInFlight = shardsInFlight;
    }

    /** Examples of the split per epoch (from the manifest). */
    public int examples() {
        return dataset.count(split);
    }

    /** The epoch's examples from position {@code skip} on (0 = the epoch's start). */
    public Iterator<DatasetExample> epoch(int epoch, long skip) {
        List<ShardDataset.Shard> shards = new ArrayList<>(dataset.shards().stream()
                .filter(s -> s.splits().map(c -> c.get(split) > 0).orElse(true)).toList());
        Collections.shuffle(shards, new Random(mix(seed, epoch, -1)));
        List<List<ShardDataset.Shard>> windows = new ArrayList<>();
        for (int from = 0; from < shards.size(); from += shardsInFlight) {
            windows.add(shards.subList(from, Math.min(shards.size(), from + shardsInFlight)));
        }
        return new Iterator<>() {
            private int window = -1;
            private List<DatasetExample> current = List.of();
            private int position;
            private long toSkip = skip;

            @Override
            public boolean hasNext() {
                while (position >= current.size()) {
                    if (++window >= windows.size()) {
                        return false;
                    }
                    current = load(epoch, window, windows.get(window));
                    position = 0;
                    if (toSkip > 0) {
                        int skipped = (int) Math.min(toSkip, current.size());
                        position = skipped;
                        toSkip -= skipped;
                    }
                }
                return true;
            }

            @Override
            public DatasetExample next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.get(position++);
            }

            private List<DatasetExample> load(int epochIndex, int windowIndex, List<ShardDataset.Shard> members) {
                if (toSkip > 0) {
                    long known = 0;
                    for (ShardDataset.Shard s : members) {
                        if (s.splits().isEmpty()) {
                            known = -1;
                            break;
                        }
                        known += s.splits().get().get(split);
                    }
                    if (known >= 0 && known <= toSkip) {
                        toSkip -= known;
                        return List.of();
                    }
                }
                List<DatasetExample> examples = new ArrayList<>();
                for (ShardDataset.Shard s : members) {
                    for (DatasetExample e : dataset.readShard(s)) {
                        if (e.split() == split) {
                            examples.add(e);
                        }
                    }
                }
                Collections.shuffle(examples, new Random(mix(seed, epochIndex, windowIndex)));
                return examples;
            }
        };
    }

    /** A seed from the run's seed, the epoch and the window (SplitMix64 finaliser over the three). */
    static long mix(long seed, long epoch, long window) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + window * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
