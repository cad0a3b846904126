package org.tamer.gateway;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tamer.gateway.audit.AuditEvents;
import org.tamer.gateway.camel.MllpListener;
import org.tamer.gateway.camel.MllpSettings;
import org.tamer.gateway.delivery.FhirServerClient;
import org.tamer.gateway.delivery.Hl7ResultSender;
import org.tamer.gateway.metrics.GatewayMetrics;
import org.tamer.gateway.metrics.StoreGauges;
import org.tamer.gateway.health.WorkerLoops;
import org.tamer.gateway.model.MicroBatcher;
import org.tamer.gateway.model.ModelService;
import org.tamer.gateway.model.ModelSettings;
import org.tamer.gateway.pipeline.ApplicationAcknowledgements;
import org.tamer.gateway.pipeline.BuiltResults;
import org.tamer.gateway.pipeline.DeliveryWorker;
import org.tamer.gateway.pipeline.DiagnosisWorker;
import org.tamer.gateway.pipeline.Hl7Charset;
import org.tamer.gateway.pipeline.Hl7MessageIntake;
import org.tamer.gateway.pipeline.PermanentFailures;
import org.tamer.gateway.pipeline.RecordReader;
import org.tamer.gateway.pipeline.ResultBuilder;
import org.tamer.gateway.pipeline.RetryPolicy;
import org.tamer.gateway.pipeline.WorkLoop;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.RetentionPurge;
import org.tamer.gateway.store.RetentionSettings;
import org.tamer.gateway.store.StoreSettings;
import org.tamer.routes.hl7.Hl7Acknowledgement;

/**
 * The running gateway, started with the application context: the MLLP listener, the diagnosis and delivery loops
 * over the store, and the model bundle watcher. Stopped in reverse order on shutdown; what was in flight stays in
 * the store, leased, and is taken up again when the lease ends.
 */
@Context
public final class GatewayRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayRuntime.class);

    private final List<AutoCloseable> running = new ArrayList<>();
    private final AtomicReference<Map<MessageState, Long>> depths = new AtomicReference<>(Map.of());

    public GatewayRuntime(MessageStore store, RecordReader reader, MicroBatcher batcher, ResultBuilder results,
                          Hl7Charset charset, Hl7MessageIntake hl7Intake, Hl7Acknowledgement acknowledgements,
                          ModelService models, AuditEvents audit,
                          GatewayMetrics metrics, RetryPolicy retry, Optional<FhirServerClient> fhir,
                          Optional<Hl7ResultSender> hl7, Clock clock,
                          @Named("instance") String instance, StoreSettings settings, WorkerLoops loops,
                          ModelSettings model,
                          MllpSettings mllp, RetentionSettings retention) throws Exception {
        StoreGauges.register(metrics, depths::get);
        running.add(loops.register(new WorkLoop("tamer-store-depth", () -> {
            depths.set(store.countsByState());
            return 0;
        }, Duration.ofSeconds(5))).start());
        RetentionPurge purge = new RetentionPurge(store, retention);
        running.add(loops.register(new WorkLoop("tamer-store-retention", () -> {
            int deleted = purge.runOnce();
            metrics.purged(deleted);
            return deleted;
        }, retention.interval())).start());

        ApplicationAcknowledgements applicationAcks = new ApplicationAcknowledgements(acknowledgements, charset, clock);
        PermanentFailures failures = new PermanentFailures(store, applicationAcks, hl7);
        DiagnosisWorker.Settings diagnosis = new DiagnosisWorker.Settings(instance, settings.claimSize(),
                settings.lease(), retry, settings.diagnosisTimeout(), settings.poisonLimit());
        BuiltResults unrecorded = new BuiltResults(256);
        for (int i = 0; i < settings.diagnosisWorkers(); i++) {
            DiagnosisWorker worker = new DiagnosisWorker(store, reader, batcher, results, charset, failures,
                    unrecorded, diagnosis);
            running.add(loops.register(new WorkLoop("tamer-diagnosis-" + i, worker::runOnce,
                    settings.pollInterval())).start());
        }
        DeliveryWorker delivery = new DeliveryWorker(store, fhir, hl7, applicationAcks, audit, metrics, instance,
                settings.claimSize(), settings.lease(), retry, clock);
        running.add(delivery); // closed after its loop (in reverse order), which may still be delivering
        running.add(loops.register(new WorkLoop("tamer-delivery", delivery::runOnce, settings.pollInterval()))
                .start());
        running.add(loops.register(new WorkLoop("tamer-model-watch", () -> {
            models.checkForNewBundle();
            return 0;
        }, model.reloadInterval())).start());
        if (mllp.enabled()) {
            running.add(new MllpListener(mllp, hl7Intake));
        }
        LOG.info("gateway {} running: results go to {}{}", instance, fhir.map(f -> f.base().toString())
                .orElse("the gateway's own /fhir"), hl7.map(h -> " and " + h.destination()).orElse(""));
    }

    @PreDestroy
    public void stop() {
        LOG.info("gateway stopping: MLLP listener, workers and model watcher");
        // all loops are told first, so the shutdown lasts as long as the slowest unit of work, not their sum
        for (AutoCloseable r : running) {
            if (r instanceof WorkLoop loop) {
                loop.requestStop();
            }
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed", running.get(i), e);
            }
        }
        Map<MessageState, Long> last = depths.get();
        LOG.info("gateway stopped cleanly; {} messages waiting for diagnosis and {} for delivery (as last counted) "
                + "stay in the store and are taken up at the next start", last.getOrDefault(MessageState.PARSED, 0L),
                last.getOrDefault(MessageState.DIAGNOSED, 0L));
    }
}
