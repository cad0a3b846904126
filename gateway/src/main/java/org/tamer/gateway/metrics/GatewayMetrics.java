package org.tamer.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.tamer.gateway.model.BatchListener;

/**
 * The gateway's Prometheus metrics: messages by channel, type and outcome; end-to-end latency from receipt to
 * delivery; micro-batch sizes; model time; queue depths (registered as gauges by their owners).
 */
public final class GatewayMetrics implements BatchListener {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer endToEnd;
    private final Timer modelTime;
    private final DistributionSummary batchSize;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.endToEnd = Timer.builder("tamer.message.latency").description("receipt to delivery of a result")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
        this.modelTime = Timer.builder("tamer.model.batch.time").description("model time per micro-batch")
                .publishPercentileHistogram().register(registry);
        this.batchSize = DistributionSummary.builder("tamer.model.batch.size").description("ECGs per micro-batch")
                .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(256.0).register(registry);
    }

    /** A message received on a channel, with its type (e.g. ORU^R01) and outcome (AA, AE, AR, 201, 400, duplicate). */
    public void received(String channel, String type, String outcome) {
        counter("tamer.messages.received", "channel", channel, "type", type, "outcome", outcome).increment();
    }

    /** A result delivered (or failed to be) to a destination. */
    public void delivered(String destination, String outcome) {
        counter("tamer.results.delivered", "destination", destination, "outcome", outcome).increment();
    }

    /** Rows deleted by the retention purge (finished messages and audit events). */
    public void purged(int rows) {
        if (rows > 0) {
            counter("tamer.store.purged").increment(rows);
        }
    }

    public void endToEnd(Duration latency) {
        endToEnd.record(latency);
    }

    /** Registers a gauge (e.g. queue depth) read from {@code source}. */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        io.micrometer.core.instrument.Gauge.builder(name, source, value).description(description).strongReference(true)
                .register(registry);
    }

    @Override
    public void batchDone(int size, long modelNanos, int queueDepth) {
        batchSize.record(size);
        modelTime.record(Duration.ofNanos(modelNanos));
    }

    /** The counter {@code name} with tags given as key, value, key, value, …; registered once, then reused. */
    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(name + "|" + String.join("|", tags),
                k -> Counter.builder(name).tags(tags).register(registry));
    }
}
