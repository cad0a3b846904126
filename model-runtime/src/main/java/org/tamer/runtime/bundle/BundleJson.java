package org.tamer.runtime.bundle;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tamer.runtime.ecg.Lead;
import org.tamer.runtime.inference.Calibration;
import org.tamer.runtime.inference.OperatingPoints;
import org.tamer.runtime.inference.PromptDictionary;
import org.tamer.runtime.network.TamerConfig;
import org.tamer.runtime.preprocess.CropPosition;
import org.tamer.runtime.preprocess.Normalisation;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.text.TextPooling;

/** {@code bundle.json} to and from {@link BundleManifest}, with field-level error messages. */
final class BundleJson {

    private BundleJson() {
    }

    static String write(BundleManifest m) {
        JsonObject root = new JsonObject();
        // operating points came with format 2; a bundle without them stays readable by format 1 runtimes
        root.addProperty("formatVersion", m.operatingPoints().thresholds().isEmpty() ? m.formatVersion()
                : Math.max(2, m.formatVersion()));
        root.addProperty("name", m.name());
        root.addProperty("version", m.version());
        root.addProperty("created", m.created().toString());
        root.addProperty("parametersFile", ModelBundle.PARAMETERS_FILE);
        root.addProperty("parametersSha256", m.parametersSha256());

        TamerConfig n = m.network();
        JsonObject network = new JsonObject();
        network.addProperty("leads", n.leads());
        network.addProperty("ecgLength", n.ecgLength());
        network.addProperty("frequencyBins", n.frequencyBins());
        network.addProperty("frames", n.frames());
        network.add("stageBlocks", ints(n.stageBlocks()));
        network.add("ecgChannels", ints(n.ecgChannels()));
        network.add("spectrogramChannels", ints(n.spectrogramChannels()));
        network.addProperty("latentSize", n.latentSize());
        network.addProperty("attentionHeads", n.attentionHeads());
        network.addProperty("textHiddenSize", n.textHiddenSize());
        network.addProperty("spectrogramBranch", n.spectrogramBranch());
        network.addProperty("wlai", n.wlai());
        root.add("network", network);

        PreprocessingConfig p = m.preprocessing();
        JsonObject preprocessing = new JsonObject();
        preprocessing.addProperty("targetRateHz", p.targetRateHz());
        preprocessing.addProperty("targetLength", p.targetLength());
        JsonArray leads = new JsonArray();
        p.leadOrder().forEach(l -> leads.add(l.label()));
        preprocessing.add("leadOrder", leads);
        preprocessing.addProperty("cropPosition", p.cropPosition().name());
        preprocessing.addProperty("normalisation", p.normalisation().name());
        root.add("preprocessing", preprocessing);

        JsonObject stft = new JsonObject();
        stft.addProperty("samplingRateHz", m.stft().samplingRateHz());
        stft.addProperty("segmentLength", m.stft().segmentLength());
        stft.addProperty("overlap", m.stft().overlap());
        root.add("stft", stft);

        TextEncoderReference t = m.textEncoder();
        JsonObject text = new JsonObject();
        text.addProperty("reference", t.reference());
        text.addProperty("sha256", t.sha256());
        text.addProperty("pooling", t.pooling().name());
        text.addProperty("maxTokens", t.maxTokens());
        text.addProperty("hiddenSize", t.hiddenSize());
        root.add("textEncoder", text);

        JsonArray classes = new JsonArray();
        List<String> codes = m.prompts().classes();
        for (int i = 0; i < codes.size(); i++) {
            String code = codes.get(i);
            JsonObject c = new JsonObject();
            c.addProperty("code", code);
            JsonArray descriptions = new JsonArray();
            m.prompts().descriptions(code).forEach(descriptions::add);
            c.add("descriptions", descriptions);
            JsonArray embedding = new JsonArray();
            for (float v : m.classEmbeddings().get(i)) {
                embedding.add(v);
            }
            c.add("embedding", embedding);
            Calibration calibration = m.calibrationOf(code);
            if (!calibration.isIdentity()) {
                JsonObject cal = new JsonObject();
                cal.addProperty("temperature", calibration.temperature());
                cal.addProperty("bias", calibration.bias());
                c.add("calibration", cal);
            }
            m.operatingPoints().of(code).ifPresent(threshold -> c.addProperty("operatingPoint", threshold));
            classes.add(c);
        }
        root.add("classes", classes);
        if (!m.operatingPoints().method().isEmpty()) {
            root.addProperty("operatingPointMethod", m.operatingPoints().method());
        }
        return new GsonBuilder().setPrettyPrinting().create().toJson(root);
    }

    static BundleManifest read(String json, String source) {
        Reader r = new Reader(source);
        JsonObject root;
        try {
            root = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": not a JSON object", e);
        }
        int format = r.integer(root, "formatVersion");
        if (format > ModelBundle.FORMAT_VERSION) {
            throw new IllegalArgumentException(source + ": bundle format " + format
                    + " is newer than this runtime reads (" + ModelBundle.FORMAT_VERSION + "); upgrade the gateway");
        }
        TamerConfig network = network(r, r.object(root, "network"));
        JsonObject p = r.object(root, "preprocessing");
        List<Lead> leads = new ArrayList<>();
        for (JsonElement e : r.array(p, "leadOrder")) {
            leads.add(Lead.parse(e.getAsString()));
        }
        PreprocessingConfig preprocessing = new PreprocessingConfig(r.number(p, "targetRateHz"),
                r.integer(p, "targetLength"), leads, r.enumeration(p, "cropPosition", CropPosition.class),
                r.enumeration(p, "normalisation", Normalisation.class));
        JsonObject s = r.object(root, "stft");
        StftConfig stft = new StftConfig(r.number(s, "samplingRateHz"), r.integer(s, "segmentLength"),
                r.integer(s, "overlap"));
        JsonObject t = r.object(root, "textEncoder");
        TextEncoderReference text = new TextEncoderReference(r.string(t, "reference"), r.string(t, "sha256"),
                r.enumeration(t, "pooling", TextPooling.class), r.integer(t, "maxTokens"), r.integer(t, "hiddenSize"));
        Map<String, List<String>> prompts = new LinkedHashMap<>();
        List<float[]> embeddings = new ArrayList<>();
        Map<String, Calibration> calibration = new LinkedHashMap<>();
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (JsonElement element : r.array(root, "classes")) {
            JsonObject c = element.getAsJsonObject();
            String code = r.string(c, "code");
            List<String> descriptions = new ArrayList<>();
            r.array(c, "descriptions").forEach(d -> descriptions.add(d.getAsString()));
            prompts.put(code, descriptions);
            JsonArray e = r.array(c, "embedding");
            float[] embedding = new float[e.size()];
            for (int i = 0; i < embedding.length; i++) {
                embedding[i] = e.get(i).getAsFloat();
            }
            embeddings.add(embedding);
            if (c.has("calibration")) {
                JsonObject cal = c.getAsJsonObject("calibration");
                calibration.put(code, new Calibration(r.number(cal, "temperature"), r.number(cal, "bias")));
            }
            if (c.has("operatingPoint")) {
                thresholds.put(code, r.number(c, "operatingPoint"));
            }
        }
        try {
            return new BundleManifest(format, r.string(root, "name"), r.string(root, "version"),
                    Instant.parse(r.string(root, "created")), network, preprocessing, stft, text,
                    PromptDictionary.of(prompts), embeddings, calibration, r.string(root, "parametersSha256"),
                    thresholds.isEmpty() ? OperatingPoints.NONE : new OperatingPoints(thresholds,
                            root.has("operatingPointMethod") ? r.string(root, "operatingPointMethod") : ""));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static JsonArray ints(List<Integer> values) {
        JsonArray array = new JsonArray();
        values.forEach(array::add);
        return array;
    }

    /** Typed field access that names the missing or malformed field. */
    private static TamerConfig network(Reader r, JsonObject n) {
        int leads = r.integer(n, "leads");
        int ecgLength = r.integer(n, "ecgLength");
        int frequencyBins = r.integer(n, "frequencyBins");
        int frames = r.integer(n, "frames");
        List<Integer> stageBlocks = r.ints(n, "stageBlocks");
        List<Integer> ecgChannels = r.ints(n, "ecgChannels");
        List<Integer> spectrogramChannels = r.ints(n, "spectrogramChannels");
        int latentSize = r.integer(n, "latentSize");
        int attentionHeads = r.integer(n, "attentionHeads");
        int textHiddenSize = r.integer(n, "textHiddenSize");
        boolean spectrogramBranch = r.bool(n, "spectrogramBranch");
        boolean wlai = r.bool(n, "wlai");
        try {
            return new TamerConfig(leads, ecgLength, frequencyBins, frames, stageBlocks, ecgChannels,
                    spectrogramChannels, latentSize, attentionHeads, textHiddenSize, spectrogramBranch, wlai);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(r.source() + ": network: " + e.getMessage(), e);
        }
    }

    private record Reader(String source) {

        JsonElement field(JsonObject o, String name) {
            JsonElement e = o.get(name);
            if (e == null || e.isJsonNull()) {
                throw new IllegalArgumentException(source + ": field '" + name + "' is missing");
            }
            return e;
        }

        JsonObject object(JsonObject o, String name) {
            JsonElement e = field(o, name);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException(source + ": field '" + name + "' must be an object");
            }
            return e.getAsJsonObject();
        }

        JsonArray array(JsonObject o, String name) {
            JsonElement e = field(o, name);
            if (!e.isJsonArray()) {
                throw new IllegalArgumentException(source + ": field '" + name + "' must be an array");
            }
            return e.getAsJsonArray();
        }

        String string(JsonObject o, String name) {
            return field(o, name).getAsString();
        }

        int integer(JsonObject o, String name) {
            try {
                return field(o, name).getAsInt();
            } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException e) {
                throw new IllegalArgumentException(source + ": field '" + name + "' must be an integer", e);
            }
        }

        double number(JsonObject o, String name) {
            try {
                return field(o, name).getAsDouble();
            } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException e) {
                throw new IllegalArgumentException(source + ": field '" + name + "' must be a number", e);
            }
        }

        boolean bool(JsonObject o, String name) {
            return field(o, name).getAsBoolean();
        }

        List<Integer> ints(JsonObject o, String name) {
            List<Integer> values = new ArrayList<>();
            array(o, name).forEach(e -> values.add(e.getAsInt()));
            return values;
        }

        <E extends Enum<E>> E enumeration(JsonObject o, String name, Class<E> type) {
            String value = string(o, name);
            try {
                return Enum.valueOf(type, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": field '" + name + "' is '" + value
                        + "', expected one of " + java.util.Arrays.toString(type.getEnumConstants()), e);
            }
        }
    }
}
