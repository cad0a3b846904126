package org.tamer.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.tamer.runtime.spectrogram.SpectrogramTransform;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.training.dataset.DatasetExample;
import org.tamer.training.dataset.EpochOrder;

/**
 * Prepares training batches ahead of the optimiser. One reader thread walks the epoch's order
 * ({@link EpochOrder}: shards streamed a window at a time) and hands each batch's examples to a pool of
 * {@code workers} threads that compute the spectrograms and lay out the contiguous float arrays; the batches come
 * back in step order through a queue of at most {@code capacity} batches, so memory is bounded by the shards in
 * flight plus the queued batches, and the order (hence the run) does not depend on the number of workers.
 */
final class BatchLoader implements AutoCloseable {

    /** One batch in host memory. */
    record HostBatch(long step, int epoch, int size, float[] waveforms, float[] spectrograms, int tokens,
                     float[] tokenFeatures, float[] mask, float[] clsAttention, float[] global) {
    }

    private static final HostBatch END = new HostBatch(-1, -1, 0, null, null, 0, null, null, null, null);

    private final BlockingQueue<Future<HostBatch>> queue;
    private final ExecutorService workers;
    private final Thread reader;
    private volatile RuntimeException failure;

    BatchLoader(EpochOrder order, int batchSize, int epochs, long firstStep, int capacity, int workerCount,
                StftConfig stft) {
        if (workerCount < 1 || capacity < 1) {
            throw new IllegalArgumentException("workers and queue capacity must be positive");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workerCount, r -> {
            Thread t = new Thread(r, "tamer-batch-worker-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<SpectrogramTransform> transforms = ThreadLocal.withInitial(() -> new SpectrogramTransform(stft));
        int examples = order.examples();
        int perEpoch = stepsPerEpoch(examples, batchSize);
        this.reader = new Thread(() -> {
            try {
                Iterator<DatasetExample> stream = null;
                int streaming = -1;
                for (long step = firstStep; step < (long) perEpoch * epochs; step++) {
                    int epoch = (int) (step / perEpoch);
                    int from = (int) (step % perEpoch) * batchSize;
                    if (epoch != streaming) {
                        stream = order.epoch(epoch, from);
                        streaming = epoch;
                    }
                    int size = Math.min(examples, from + batchSize) - from;
                    List<DatasetExample> batch = new ArrayList<>(size);
                    while (batch.size() < size) {
                        if (!stream.hasNext()) {
                            throw new IllegalStateException("epoch " + epoch + " ended after " + (from + batch.size())
                                    + " examples; the manifest counts " + examples);
                        }
                        batch.add(stream.next());
                    }
                    long s = step;
                    queue.put(workers.submit(() -> assemble(batch, s, epoch, transforms.get())));
                }
                queue.put(java.util.concurrent.CompletableFuture.completedFuture(END));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure = e;
                queue.offer(java.util.concurrent.CompletableFuture.completedFuture(END));
            }
        }, "tamer-batch-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static int stepsPerEpoch(int examples, int batchSize) {
        int full = examples / batchSize;
        // a last partial batch is kept when it still has negatives for the contrastive losses
        return examples % batchSize >= 2 ? full + 1 : Math.max(full, 1);
    }

    /** The next batch, or null when the run is complete. */
    HostBatch next() throws InterruptedException {
        Future<HostBatch> future = queue.poll(10, TimeUnit.MINUTES);
        if (failure != null) {
            throw new IllegalStateException("the batch loader failed: " + failure.getMessage(), failure);
        }
        if (future == null) {
            throw new IllegalStateException("the batch loader produced nothing for 10 minutes");
        }
        try {
            HostBatch batch = future.get(10, TimeUnit.MINUTES);
            return batch == END ? null : batch;
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparing a batch failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("a batch took more than 10 minutes to prepare", e);
        }
    }

    static HostBatch assemble(List<DatasetExample> examples, long step, int epoch, SpectrogramTransform transform) {
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
            if (e.waveform().length != waveLength || e.hiddenSize() != hidden) {
                throw new IllegalArgumentException("example " + e.pseudonym() + " has " + e.waveform().length
                        + " samples and hidden size " + e.hiddenSize() + "; the batch has " + waveLength + " and "
                        + hidden);
            }
            System.arraycopy(e.waveform(), 0, waves, i * waveLength, waveLength);
            for (int l = 0; l < leads; l++) {
                transform.transformLead(e.waveform(), l * samples, samples, specs,
                        i * specSize + l * c.frequencyBins() * c.frames(samples));
            }
            System.arraycopy(e.tokenFeatures(), 0, features, i * tokens * hidden, e.tokenFeatures().length);
            System.arraycopy(e.clsAttention(), 0, cls, i * tokens, e.tokenCount());
            Arrays.fill(mask, i * tokens, i * tokens + e.tokenCount(), 1f);
            System.arraycopy(e.global(), 0, global, i * hidden, hidden);
        }
        return new HostBatch(step, epoch, n, waves, specs, tokens, features, mask, cls, global);
    }

    @Override
    public void close() {
        reader.interrupt();
        workers.shutdownNow();
    }
}
