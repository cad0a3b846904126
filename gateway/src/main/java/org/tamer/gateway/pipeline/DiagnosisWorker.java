package org.tamer.gateway.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.tamer.gateway.model.BackPressureException;
import org.tamer.gateway.model.MicroBatcher;
import org.tamer.gateway.model.ModelResult;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.StoredMessage;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * One round of diagnosis: claims parsed messages, reads each back into an ECG, has the micro-batcher score them,
 * builds the results and records them (state DIAGNOSED). A message whose bytes no longer read (it passed intake,
 * so only a changed adapter could do this) fails for good; anything else is retried with backoff. The claimed
 * messages' leases are renewed while they wait for the model, so a slow batch keeps them.
 */
public final class DiagnosisWorker {

    private static final Logger LOG = LoggerFactory.getLogger(DiagnosisWorker.class);

    private final MessageStore store;
    private final RecordReader reader;
    private final MicroBatcher batcher;
    private final ResultBuilder results;
    private final Hl7Charset charset;
    private final String owner;
    private final int claimSize;
    private final Duration lease;
    private final RetryPolicy retry;

    public DiagnosisWorker(MessageStore store, RecordReader reader, MicroBatcher batcher, ResultBuilder results,
                           Hl7Charset charset, String owner, int claimSize, Duration lease, RetryPolicy retry) {
        this.store = Objects.requireNonNull(store, "store");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.batcher = Objects.requireNonNull(batcher, "batcher");
        this.results = Objects.requireNonNull(results, "results");
        this.charset = Objects.requireNonNull(charset, "charset");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.claimSize = claimSize;
        this.lease = Objects.requireNonNull(lease, "lease");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /** Returns how many messages it claimed. */
    public int runOnce() {
        List<StoredMessage> claimed = store.claim(MessageState.PARSED, claimSize, owner, lease);
        List<StoredMessage> submitted = new ArrayList<>(claimed.size());
        List<EcgRecord> records = new ArrayList<>(claimed.size());
        List<CompletableFuture<ModelResult>> futures = new ArrayList<>(claimed.size());
        for (StoredMessage m : claimed) {
            EcgRecord record;
            try {
                record = reader.read(m.channel(), m.raw(), m.controlId());
            } catch (RuntimeException e) {
                store.fail(m.id(), owner, MessageState.FAILED, "could not read the stored message: " + e.getMessage());
                continue;
            }
            try {
                futures.add(batcher.submit(record));
                submitted.add(m);
                records.add(record);
            } catch (BackPressureException e) {
                store.retry(m.id(), owner, e.getMessage(), Duration.ofMillis(200), Integer.MAX_VALUE);
            }
        }
        for (int i = 0; i < submitted.size(); i++) {
            StoredMessage m = submitted.get(i);
            MDC.put("controlId", m.controlId());
            MDC.put("messageId", Long.toString(m.id()));
            try {
                ModelResult result = awaitRenewingLeases(futures.get(i), submitted.subList(i, submitted.size()));
                DiagnosisResult built = results.build(m.channel(), m.controlId(), m.raw(), charset, records.get(i),
                        result);
                if (!store.markDiagnosed(m.id(), owner, built.recordId(), built.bundleJson(),
                        built.hl7Result().orElse(null), built.modelSha256())) {
                    LOG.warn("lease on message {} was lost before its diagnosis was recorded; another process "
                            + "will diagnose it", m.id());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return submitted.size();
            } catch (ExecutionException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                String reason = "diagnosis failed: " + cause.getMessage();
                if (cause instanceof IllegalArgumentException) {
                    store.fail(m.id(), owner, MessageState.FAILED, reason);
                    LOG.warn("message {} cannot be diagnosed: {}", m.id(), cause.getMessage());
                } else {
                    store.retry(m.id(), owner, reason, retry.delay(m.attempts()), retry.maxAttempts());
                    LOG.warn("message {} diagnosis failed, will retry: {}", m.id(), cause.toString());
                }
            } finally {
                MDC.remove("controlId");
                MDC.remove("messageId");
            }
        }
        return claimed.size();
    }

    /**
     * Waits for a result while renewing the leases of the messages still waiting for theirs, every third of the
     * lease: on a loaded machine a claimed batch can take longer than one lease, and an expired lease would let
     * another worker claim and diagnose the same messages again (wasted work that slows everything further).
     */
    private ModelResult awaitRenewingLeases(CompletableFuture<ModelResult> future, List<StoredMessage> waiting)
            throws InterruptedException, ExecutionException {
        long period = Math.max(1, lease.toMillis() / 3);
        while (true) {
            try {
                return future.get(period, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                for (StoredMessage m : waiting) {
                    store.renewLease(m.id(), owner, lease);
                }
            }
        }
    }
}
