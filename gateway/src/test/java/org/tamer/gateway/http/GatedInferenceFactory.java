package org.tamer.gateway.http;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.tamer.gateway.config.GatewayFactory;
import org.tamer.gateway.model.MicroBatcher;
import org.tamer.gateway.model.ModelService;
import org.tamer.gateway.model.ModelSettings;

/**
 * With {@code tamer.test.inference-gate=true}: the gateway's real {@link MicroBatcher} (one ECG a batch, the
 * configured queue capacity) reporting its batches to an {@link InferenceGate} that a test can shut.
 */
@Factory
@Requires(property = "tamer.test.inference-gate", value = "true")
class GatedInferenceFactory {

    @Singleton
    InferenceGate inferenceGate() {
        return new InferenceGate();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Replaces(bean = MicroBatcher.class, factory = GatewayFactory.class)
    MicroBatcher gatedBatcher(ModelService models, InferenceGate gate, ModelSettings settings) {
        return new MicroBatcher(models, 1, Duration.ofMillis(1), settings.queueCapacity(), gate);
    }
}
