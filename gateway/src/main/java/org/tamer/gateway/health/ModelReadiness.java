package org.tamer.gateway.health;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.tamer.gateway.model.MicroBatcher;
import org.tamer.gateway.model.ModelService;
import org.tamer.gateway.store.MessageStore;
import io.micronaut.core.async.publisher.Publishers;

/** Readiness: the model is loaded, the message store answers and every background loop is running. */
@Singleton
@Readiness
public final class ModelReadiness implements HealthIndicator {

    private final ModelService models;
    private final MessageStore store;
    private final MicroBatcher batcher;
    private final WorkerLoops loops;

    public ModelReadiness(ModelService models, MessageStore store, MicroBatcher batcher, WorkerLoops loops) {
        this.models = models;
        this.store = store;
        this.batcher = batcher;
        this.loops = loops;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        var model = models.current();
        details.put("model", model.bundle().manifest().name() + " " + model.bundle().manifest().version());
        details.put("modelSha256", model.sha256());
        details.put("device", models.engine().device().toString());
        details.put("queueDepth", batcher.queueDepth());
        boolean storeUp = store.ping();
        details.put("store", storeUp ? "UP" : "DOWN");
        List<String> stopped = loops.notRunning();
        details.put("workers", stopped.isEmpty() ? "UP (" + loops.count() + " loops)" : "DOWN: not running "
                + String.join(", ", stopped));
        boolean up = storeUp && stopped.isEmpty();
        return Publishers.just(HealthResult.builder("tamer").status(up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
