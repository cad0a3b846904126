package org.tamer.gateway.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.inference.Diagnosis;
import org.tamer.runtime.preprocess.PreprocessedEcg;

/**
 * Groups diagnosis requests into micro-batches on one inference thread: a batch starts with the first waiting
 * request and takes more until it holds {@code maxBatch} or {@code maxWait} has passed. The queue is bounded; a
 * full queue refuses new work with {@link BackPressureException} instead of growing without limit. Each batch
 * preprocesses its ECGs with, and runs on, the model taken for it, so a model swap never splits a batch.
 */
public final class MicroBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

    private record Request(EcgRecord record, CompletableFuture<ModelResult> result) {
    }

    private final ModelService models;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Request> queue;
    private final int queueCapacity;
    private final BatchListener listener;
    private final Thread thread;
    private volatile boolean running = true;

    public MicroBatcher(ModelService models, int maxBatch, Duration maxWait, int queueCapacity,
                        BatchListener listener) {
        this.models = Objects.requireNonNull(models, "models");
        if (maxBatch < 1 || queueCapacity < maxBatch) {
            throw new IllegalArgumentException("need 1 <= maxBatch <= queueCapacity, got maxBatch " + maxBatch
                    + " and queueCapacity " + queueCapacity);
        }
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.queueCapacity = queueCapacity;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.thread = new Thread(this::run, "tamer-inference");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues an ECG for diagnosis.
     *
     * @throws BackPressureException if the queue is full (its message names the limit,
     *                               {@code tamer.model.queue-capacity})
     */
    public CompletableFuture<ModelResult> submit(EcgRecord record) {
        CompletableFuture<ModelResult> result = new CompletableFuture<>();
        if (!running) {
            throw new BackPressureException("the inference queue is shut down");
        }
        if (!queue.offer(new Request(record, result))) {
            throw new BackPressureException("the inference queue is full: " + queue.size() + " ECGs waiting, its "
                    + "limit (tamer.model.queue-capacity) is " + queueCapacity);
        }
        return result;
    }

    public int queueDepth() {
        return queue.size();
    }

    private void run() {
        List<Request> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Request next = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                runBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // an Error (out of memory in the model) fails this batch's requests, not the batching thread
                LOG.error("inference batch of {} failed", batch.size(), e);
                batch.forEach(r -> r.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        Request left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new BackPressureException("the gateway is shutting down"));
        }
    }

    private void runBatch(List<Request> batch) {
        LoadedModel model = models.takeForNextBatch();
        List<PreprocessedEcg> inputs = new ArrayList<>(batch.size());
        List<Request> accepted = new ArrayList<>(batch.size());
        for (Request request : batch) {
            try {
                inputs.add(model.preprocessor().apply(request.record()));
                accepted.add(request);
            } catch (RuntimeException | Error e) {
                request.result().completeExceptionally(e);
            }
        }
        if (accepted.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        List<Diagnosis> diagnoses = model.classifier().classify(inputs);
        long modelNanos = System.nanoTime() - start;
        for (int i = 0; i < accepted.size(); i++) {
            accepted.get(i).result().complete(new ModelResult(diagnoses.get(i), model));
        }
        listener.batchDone(accepted.size(), modelNanos, queue.size());
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
