package org.tamer.gateway.pipeline;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tamer.gateway.model.MicroBatcher;
import org.tamer.gateway.model.ModelResult;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.NewMessage;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * {@code Observation/$diagnose}: the ECG, already stored and leased to this process, goes through the same
 * micro-batcher as everything else and its result is recorded (state DIAGNOSED, so the outbox still delivers it)
 * before it is returned. The message's lease is renewed while the request waits, so a wait longer than the lease
 * (a busy model, a {@code tamer.fhir.diagnose-timeout} above {@code tamer.store.lease}) does not let a diagnosis
 * worker take the message and run it through the model a second time. If this process dies first, the lease runs
 * out and a worker diagnoses it.
 */
public final class SynchronousDiagnosis implements AutoCloseable {

    private final MicroBatcher batcher;
    private final ResultBuilder results;
    private final MessageStore store;
    private final Hl7Charset charset;
    private final String owner;
    private final Duration lease;
    private final Duration timeout;
    private final LeaseRenewals renewals;

    /**
     * @param lease   how long the message stays this request's before a worker may take it over
     * @param timeout how long a request waits for its diagnosis
     */
    public SynchronousDiagnosis(MicroBatcher batcher, ResultBuilder results, MessageStore store, Hl7Charset charset,
                                String owner, Duration lease, Duration timeout) {
        this.batcher = Objects.requireNonNull(batcher, "batcher");
        this.results = Objects.requireNonNull(results, "results");
        this.store = Objects.requireNonNull(store, "store");
        this.charset = Objects.requireNonNull(charset, "charset");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.renewals = new LeaseRenewals(store, owner, lease, "tamer-diagnose-lease");
    }

    /** The lease under which a request's message is stored before it is diagnosed. */
    public NewMessage.Lease lease() {
        return new NewMessage.Lease(owner, lease);
    }

    /** Returns the write-back Bundle as JSON. */
    public String diagnose(long messageId, String controlId, byte[] raw, EcgRecord record)
            throws InterruptedException, ExecutionException, TimeoutException {
        EcgRecord modelLeads = RecordReader.modelLeads(record);
        DiagnosisResult built;
        LeaseRenewals.Held renewal = renewals.keep(messageId);
        try {
            ModelResult result = batcher.submit(modelLeads).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            built = results.build(Channel.FHIR, controlId, raw, charset, modelLeads, result);
        } finally {
            renewal.close(); // before the state change, which ends the lease
        }
        store.markDiagnosed(messageId, owner, built.recordId(), built.bundleJson(), null, built.modelSha256());
        return built.bundleJson();
    }

    /** Stops the lease renewals (the application context closes this bean). */
    @Override
    public void close() {
        renewals.close();
    }
}
