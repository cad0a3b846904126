package org.tamer.gateway.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * builds the results and records them (state DIAGNOSED). Every claimed message comes to an end:
 * <ul>
 *   <li>permanent failures end at once in FAILED with the reason (and an AE where MSH-16 asked for one): the
 *       stored bytes no longer read, the model's preprocessing refuses the record, the result cannot be built;</li>
 *   <li>an {@link Error} (out of memory, stack overflow) or no result within the per-message timeout ends the
 *       message in FAILED when it was processed alone; processed with others, it cannot be told which message
 *       caused it, so each is tried again on its own;</li>
 *   <li>only transient failures (the model's queue full, the inference engine failing) are retried with
 *       backoff, up to the retry policy's attempts (then DEAD).</li>
 * </ul>
 * Before processing begins, each message's poison attempt is counted in the store and it is reset when processing
 * ends; a message whose count reaches the limit (the process died on it that many times: killed by the kernel's
 * OOM killer, say) is FAILED without being read again. A result built but not recorded (the store failed) is kept
 * in memory, so the retry records it without running inference again. The claimed messages' leases are renewed
 * while they wait for the model, so a slow batch keeps them.
 */
public final class DiagnosisWorker {

    /**
     * @param messageTimeout how long one message may take from submission to the model until its result is built
     * @param poisonLimit    how many abnormal ends of processing a message may cause before it is FAILED unread
     */
    public record Settings(String owner, int claimSize, Duration lease, RetryPolicy retry, Duration messageTimeout,
                           int poisonLimit) {
        public Settings {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(messageTimeout, "messageTimeout");
            if (claimSize < 1 || poisonLimit < 1 || messageTimeout.isNegative() || messageTimeout.isZero()) {
                throw new IllegalArgumentException("diagnosis settings need claim size >= 1, poison limit >= 1 "
                        + "(tamer.store.poison-limit) and a positive message timeout "
                        + "(tamer.store.diagnosis-timeout): " + claimSize + ", " + poisonLimit + ", "
                        + messageTimeout);
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DiagnosisWorker.class);
    private static final Duration SUSPECT_DELAY = Duration.ofMillis(100);

    private final MessageStore store;
    private final RecordReader reader;
    private final MicroBatcher batcher;
    private final ResultBuilder results;
    private final Hl7Charset charset;
    private final PermanentFailures failures;
    private final Settings settings;
    private final BuiltResults unrecorded;

    public DiagnosisWorker(MessageStore store, RecordReader reader, MicroBatcher batcher, ResultBuilder results,
                           Hl7Charset charset, PermanentFailures failures, BuiltResults unrecorded,
                           Settings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.batcher = Objects.requireNonNull(batcher, "batcher");
        this.results = Objects.requireNonNull(results, "results");
        this.charset = Objects.requireNonNull(charset, "charset");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.unrecorded = Objects.requireNonNull(unrecorded, "unrecorded");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Returns how many messages it claimed or ended. */
    public int runOnce() {
        int ended = endPoisoned();
        List<StoredMessage> claimed = store.claim(MessageState.PARSED, settings.claimSize(), settings.owner(),
                settings.lease());
        if (claimed.isEmpty()) {
            return ended;
        }
        Map<Long, Integer> poison = store.poisonAttempts(claimed.stream().map(StoredMessage::id).toList());
        List<StoredMessage> clean = new ArrayList<>();
        List<StoredMessage> suspects = new ArrayList<>();
        for (StoredMessage m : claimed) {
            (poison.getOrDefault(m.id(), 0) > 0 ? suspects : clean).add(m);
        }
        try {
            if (!clean.isEmpty()) {
                process(clean);
            }
            for (StoredMessage suspect : suspects) {
                process(List.of(suspect));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ended + claimed.size();
    }

    private int endPoisoned() {
        String reason = "processing of this message stopped abnormally " + settings.poisonLimit() + " times (the "
                + "process ended, ran out of memory or time while it was being diagnosed); not tried again";
        List<Long> ids = store.failPoisoned(MessageState.PARSED, settings.poisonLimit(), reason);
        for (long id : ids) {
            LOG.warn("message {} FAILED: {}", id, reason);
            store.find(id).ifPresent(m -> failures.acknowledge(m, "MSH", reason));
        }
        return ids.size();
    }

    private void process(List<StoredMessage> batch) throws InterruptedException {
        store.beginAttempt(batch.stream().map(StoredMessage::id).toList(), settings.owner());
        boolean alone = batch.size() == 1;
        List<StoredMessage> submitted = new ArrayList<>(batch.size());
        List<EcgRecord> records = new ArrayList<>(batch.size());
        List<CompletableFuture<ModelResult>> futures = new ArrayList<>(batch.size());
        List<Long> deadlines = new ArrayList<>(batch.size());
        for (StoredMessage m : batch) {
            Optional<DiagnosisResult> kept = unrecorded.of(m);
            if (kept.isPresent()) {
                record(m, kept.get());
                continue;
            }
            EcgRecord record;
            try {
                record = RecordReader.modelLeads(reader.read(m.channel(), m.raw(), m.controlId()));
            } catch (RuntimeException e) {
                failures.end(m, settings.owner(), "OBX", "the stored message cannot be read: " + e.getMessage());
                continue;
            } catch (Error e) {
                failures.end(m, settings.owner(), "OBX", "reading the stored message stopped: " + describe(e));
                continue;
            }
            try {
                futures.add(batcher.submit(record));
                submitted.add(m);
                records.add(record);
                deadlines.add(System.nanoTime() + settings.messageTimeout().toNanos());
            } catch (BackPressureException e) {
                store.retry(m.id(), settings.owner(), e.getMessage(), Duration.ofMillis(200), Integer.MAX_VALUE);
            }
        }
        for (int i = 0; i < submitted.size(); i++) {
            StoredMessage m = submitted.get(i);
            MDC.put("controlId", m.controlId());
            MDC.put("messageId", Long.toString(m.id()));
            try {
                ModelResult result = awaitRenewingLeases(futures.get(i), deadlines.get(i),
                        submitted.subList(i, submitted.size()));
                DiagnosisResult built;
                try {
                    built = results.build(m.channel(), m.controlId(), m.raw(), charset, records.get(i), result);
                } catch (RuntimeException e) {
                    failures.end(m, settings.owner(), "OBX", "the result could not be built: " + e.getMessage());
                    continue;
                } catch (Error e) {
                    failures.end(m, settings.owner(), "OBX", "building the result stopped: " + describe(e));
                    continue;
                }
                unrecorded.keep(m, built);
                record(m, built);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IllegalArgumentException) {
                    failures.end(m, settings.owner(), "OBX-5", "the model cannot read this ECG: "
                            + cause.getMessage());
                } else if (cause instanceof Error error) {
                    abnormalEnd(m, alone, "the model stopped on " + (alone ? "this message: " : "a batch: ")
                            + describe(error));
                } else {
                    retry(m, "diagnosis failed: " + cause);
                }
            } catch (TimeoutException e) {
                abnormalEnd(m, alone, "no diagnosis within " + settings.messageTimeout()
                        + " (tamer.store.diagnosis-timeout)");
            } finally {
                MDC.remove("controlId");
                MDC.remove("messageId");
            }
        }
    }

    /** An Error or a timeout: the message's own fault when it was alone; otherwise each is tried on its own. */
    private void abnormalEnd(StoredMessage m, boolean alone, String reason) {
        if (alone) {
            failures.end(m, settings.owner(), "MSH", reason);
        } else {
            store.releaseSuspect(m.id(), settings.owner(), reason + "; to be tried again on its own",
                    SUSPECT_DELAY);
            LOG.warn("message {}: {}; it will be tried again on its own", m.id(), reason);
        }
    }

    private void retry(StoredMessage m, String reason) {
        store.retry(m.id(), settings.owner(), reason, settings.retry().delay(m.attempts()),
                settings.retry().maxAttempts());
        LOG.warn("message {} will be retried: {}", m.id(), reason);
    }

    private void record(StoredMessage m, DiagnosisResult built) {
        if (store.markDiagnosed(m.id(), settings.owner(), built.recordId(), built.bundleJson(),
                built.hl7Result().orElse(null), built.modelSha256())) {
            unrecorded.forget(m);
        } else {
            LOG.warn("lease on message {} was lost before its diagnosis was recorded; another process "
                    + "will diagnose it", m.id());
        }
    }

    private static String describe(Error e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }

    /**
     * Waits for a result until the message's deadline while renewing the leases of the messages still waiting for
     * theirs, every third of the lease: on a loaded machine a claimed batch can take longer than one lease, and an
     * expired lease would let another worker claim and diagnose the same messages again.
     */
    private ModelResult awaitRenewingLeases(CompletableFuture<ModelResult> future, long deadline,
                                            List<StoredMessage> waiting)
            throws InterruptedException, ExecutionException, TimeoutException {
        long period = Math.max(1, settings.lease().toMillis() / 3);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new TimeoutException();
            }
            try {
                return future.get(Math.min(period, left), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                for (StoredMessage m : waiting) {
                    store.renewLease(m.id(), settings.owner(), settings.lease());
                }
            }
        }
    }
}
