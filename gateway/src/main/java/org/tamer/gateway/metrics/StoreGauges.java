package org.tamer.gateway.metrics;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.tamer.gateway.store.MessageState;

/**
 * The store's gauges, read from the last counts the store-depth loop took: {@code tamer.store.depth.<state>} for
 * PARSED, DIAGNOSED and DEAD, and {@link #PARSED_BACKLOG}, the messages waiting for diagnosis. Every replica on one
 * database reports the same global values, so an autoscaler must take one of them (an External metric aggregated
 * with {@code max}), not their sum or one per pod (deploy/prometheus/adapter-rules.yaml).
 */
public final class StoreGauges {

    /** The global backlog waiting for diagnosis; Prometheus name {@code tamer_store_parsed_backlog}. */
    public static final String PARSED_BACKLOG = "tamer.store.parsed.backlog";

    private StoreGauges() {
    }

    public static void register(GatewayMetrics metrics, Supplier<Map<MessageState, Long>> depths) {
        for (MessageState state : List.of(MessageState.PARSED, MessageState.DIAGNOSED, MessageState.DEAD)) {
            metrics.gauge("tamer.store.depth." + state.name().toLowerCase(Locale.ROOT), "messages in state " + state,
                    depths, d -> d.get().getOrDefault(state, 0L));
        }
        metrics.gauge(PARSED_BACKLOG, "messages waiting for diagnosis in the whole store (the same on every replica)",
                depths, d -> d.get().getOrDefault(MessageState.PARSED, 0L));
    }
}
