package org.tamer.gateway.health;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.tamer.gateway.model.MicroBatcher;
import org.tamer.gateway.model.ModelService;
import org.tamer.gateway.store.MessageStore;
import io.micronaut.core.async.publisher.Publishers;

/** Readiness: the model is loaded and the message store answers. */
@Singleton
@Readiness
public final class ModelReadiness implements HealthIndicator {

    private final ModelService models;
    private final MessageStore store;
    private final MicroBatcher batcher;

    public ModelReadiness(ModelService models, MessageStore store, MicroBatcher batcher) {
        this.models = models;
        this.store = store;
        this.batcher = batcher;
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
        return Publishers.just(HealthResult.builder("tamer").status(storeUp ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
