package org.tamer.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tamer.runtime.spectrogram.SpectrogramTransform;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.training.dataset.DatasetExample;

/**
 * Prepares training batches on a background thread, ahead of the optimiser, into a bounded queue: the epoch's
 * order (shuffled by a seed derived from the epoch, so a resumed run sees the same order), waveforms and
 * spectrograms as contiguous float arrays, and the cached text features padded to the batch's longest report.
 */
final class BatchLoader implements AutoCloseable {

    /** One batch in host memory. */
    record HostBatch(long step, int epoch, int size, float[] waveforms, float[] spectrograms, int tokens,
                     float[] tokenFeatures, float[] mask, float[] clsAttention, float[] global) {
    }

    private static final HostBatch END = new HostBatch(-1, -1, 0, null, null, 0, null, null, null, null);

    private final BlockingQueue<HostBatch> queue;
    private final Thread worker;
    private volatile RuntimeException failure;

    BatchLoader(List<DatasetExample> train, int batchSize, int epochs, long seed, long firstStep, int capacity,
                StftConfig stft) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        int perEpoch = stepsPerEpoch(train.size(), batchSize);
        this.worker = new Thread(() -> {
            try {
                SpectrogramTransform transform = new SpectrogramTransform(stft);
                List<DatasetExample> order = new ArrayList<>(train);
                int shuffledFor = -1;
                for (long step = firstStep; step < (long) perEpoch * epochs; step++) {
                    int epoch = (int) (step / perEpoch);
                    if (epoch != shuffledFor) {
                        order = new ArrayList<>(train);
                        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
                        shuffledFor = epoch;
                    }
                    int from = (int) (step % perEpoch) * batchSize;
                    queue.put(assemble(order.subList(from, Math.min(order.size(), from + batchSize)), step, epoch,
                            transform));
                }
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure = e;
                queue.offer(END);
            }
        }, "tamer-batch-loader");
        worker.setDaemon(true);
        worker.start();
    }

    static int stepsPerEpoch(int examples, int batchSize) {
        int full = examples / batchSize;
        // a last partial batch is kept when it still has negatives for the contrastive losses
        return examples % batchSize >= 2 ? full + 1 : Math.max(full, 1);
    }

    /** The next batch, or null when the run is complete. */
    HostBatch next() throws InterruptedException {
        HostBatch batch = queue.poll(10, TimeUnit.MINUTES);
        if (failure != null) {
            throw new IllegalStateException("the batch loader failed: " + failure.getMessage(), failure);
        }
        if (batch == null) {
            throw new IllegalStateException("the batch loader produced nothing for 10 minutes");
        }
        return batch == END ? null : batch;
    }

    private static HostBatch assemble(List<DatasetExample> examples, long step, int epoch,
                                      SpectrogramTransform transform) {
        int n = examples.size();
        int waveLength = examples.get(0).waveform().length;
        int leads = 12;
        int samples = waveLength / leads;
        StftConfig c = transform.config();
        int specSize = leads * c.frequencyBins() * c.frames(samples);
        float[] waves = new float[n * waveLength];
        float[] specs = new float[n * specSize];
        int hidden = examples.get(0).hiddenSize();
        int tokens = examples.stream().mapToInt(DatasetExample::tokenCount).max().orElse(1);
        float[] features = new float[n * tokens * hidden];
        float[] mask = new float[n * tokens];
        float[] cls = new float[n * tokens];
        float[] global = new float[n * hidden];
        for (int i = 0; i < n; i++) {
            DatasetExample e = examples.get(i);
            System.arraycopy(e.waveform(), 0, waves, i * waveLength, waveLength);
            for (int l = 0; l < leads; l++) {
                transform.transformLead(e.waveform(), l * samples, samples, specs,
                        i * specSize + l * c.frequencyBins() * c.frames(samples));
            }
            System.arraycopy(e.tokenFeatures(), 0, features, i * tokens * hidden, e.tokenFeatures().length);
            System.arraycopy(e.clsAttention(), 0, cls, i * tokens, e.tokenCount());
            java.util.Arrays.fill(mask, i * tokens, i * tokens + e.tokenCount(), 1f);
            System.arraycopy(e.global(), 0, global, i * hidden, hidden);
        }
        return new HostBatch(step, epoch, n, waves, specs, tokens, features, mask, cls, global);
    }

    @Override
    public void close() {
        worker.interrupt();
    }
}
