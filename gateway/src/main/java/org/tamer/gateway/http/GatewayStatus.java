package org.tamer.gateway.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tamer.gateway.model.LoadedModel;
import org.tamer.gateway.model.MicroBatcher;
import org.tamer.gateway.model.ModelService;
import org.tamer.gateway.store.MessageBrowser;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.runtime.bundle.BundleManifest;
import org.tamer.runtime.inference.Calibration;

/**
 * The gateway's operational state for {@code GET /admin/status} and the console: the model serving now (name,
 * version, parameters hash, bundle revision, per-class calibration), the model's queue, the store's messages by
 * state, and throughput over the last minute (from the store, so it counts every replica on the same database).
 */
public final class GatewayStatus {

    static final Duration WINDOW = Duration.ofMinutes(1);

    private final ModelService models;
    private final MicroBatcher batcher;
    private final int queueCapacity;
    private final MessageStore store;
    private final MessageBrowser browser;
    private final Clock clock;
    private final String instance;

    public GatewayStatus(ModelService models, MicroBatcher batcher, int queueCapacity, MessageStore store,
                         MessageBrowser browser, Clock clock, String instance) {
        this.models = models;
        this.batcher = batcher;
        this.queueCapacity = queueCapacity;
        this.store = store;
        this.browser = browser;
        this.clock = clock;
        this.instance = instance;
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instance", instance);
        body.put("time", Instant.now(clock).toString());
        body.put("model", model(models.current()));
        body.put("engine", models.engine().describe());
        body.put("modelQueue", Map.of("depth", batcher.queueDepth(), "capacity", queueCapacity));
        Map<String, Long> states = new LinkedHashMap<>();
        for (Map.Entry<MessageState, Long> e : store.countsByState().entrySet()) {
            states.put(e.getKey().name(), e.getValue());
        }
        body.put("messagesByState", states);
        MessageBrowser.Throughput t = browser.throughput(Instant.now(clock), WINDOW);
        body.put("throughput", Map.of("windowSeconds", t.window().toSeconds(), "received", t.received(),
                "delivered", t.delivered(), "receivedPerMinute", t.received() * 60.0 / t.window().toSeconds(),
                "deliveredPerMinute", t.delivered() * 60.0 / t.window().toSeconds()));
        return body;
    }

    private static Map<String, Object> model(LoadedModel model) {
        BundleManifest manifest = model.bundle().manifest();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", manifest.name());
        body.put("version", manifest.version());
        body.put("created", manifest.created().toString());
        body.put("parametersSha256", manifest.parametersSha256());
        body.put("revision", model.bundle().revision());
        List<Map<String, Object>> classes = new ArrayList<>();
        for (String code : manifest.prompts().classes()) {
            Calibration c = manifest.calibrationOf(code);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("code", code);
            entry.put("display", model.display(code));
            entry.put("calibrated", manifest.calibration().containsKey(code));
            entry.put("temperature", c.temperature());
            entry.put("bias", c.bias());
            classes.add(entry);
        }
        body.put("classes", classes);
        return body;
    }
}
