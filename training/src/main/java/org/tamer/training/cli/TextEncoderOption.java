package org.tamer.training.cli;

import ai.djl.Device;
import com.google.gson.JsonObject;
import java.util.Optional;
import org.tamer.runtime.bundle.TextEncoderReference;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.runtime.text.TextEncoderSource;
import org.tamer.runtime.text.TextPooling;

/**
 * The one seam where a user's choice of frozen report encoder enters the tool ({@code --text-encoder}): the
 * embedded all-MiniLM-L6-v2 ({@code embedded}) or a Hugging Face folder (config.json, tokenizer.json,
 * model.safetensors) such as Med-CPT. What was chosen travels with the artifacts: the dataset manifest, the run
 * ({@code run.json}) and the bundle record the reference and the SHA-256 of the weights, and a command given an
 * encoder other than the one its dataset, run or bundle was built with stops with a message naming both.
 */
final class TextEncoderOption {

    static final String DESCRIPTION = "frozen report encoder: 'embedded' (all-MiniLM-L6-v2) or a Hugging Face folder "
            + "with config.json, tokenizer.json and model.safetensors (e.g. Med-CPT)";

    private TextEncoderOption() {
    }

    /** The encoder named by the option ({@code embedded} when absent). */
    static TextEncoder load(Optional<String> option, TextPooling pooling, int maxTokens, Device device) {
        String reference = option.orElse("embedded");
        return TextEncoder.load(TextEncoderSource.parse(reference), pooling, maxTokens, device);
    }

    /**
     * The encoder a bundle was built with: the one the option names (checked against the bundle), else the
     * bundle's own reference.
     */
    static TextEncoder forBundle(Optional<String> option, TextEncoderReference recorded, String bundle,
                                 Device device) {
        TextEncoder encoder;
        try {
            encoder = TextEncoder.load(TextEncoderSource.parse(option.orElse(recorded.reference())),
                    recorded.pooling(), recorded.maxTokens(), device);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load the text encoder " + option.orElse(recorded.reference())
                    + (option.isEmpty() ? " recorded in " + bundle + " (give its current folder with --text-encoder)"
                    : "") + ": " + e.getMessage(), e);
        }
        if (!encoder.weightsSha256().equals(recorded.sha256())) {
            String given = describe(encoder.source().reference(), encoder.weightsSha256());
            encoder.close();
            throw new IllegalArgumentException(bundle + " was built with text encoder "
                    + describe(recorded.reference(), recorded.sha256()) + ", but this command was given " + given
                    + "; use the bundle's encoder (--text-encoder) or build and train with this one");
        }
        return encoder;
    }

    /** Stops when {@code encoder} is not the one a dataset's manifest records. */
    static void requireDatasetEncoder(JsonObject manifest, String dataset, String encoderReference,
                                      String encoderSha256, String what) {
        JsonObject text = manifest.getAsJsonObject("textEncoder");
        if (text == null || !text.has("sha256")) {
            return;
        }
        String sha = text.get("sha256").getAsString();
        if (!sha.equals(encoderSha256)) {
            throw new IllegalArgumentException("the dataset " + dataset + " was built with text encoder "
                    + describe(text.get("reference").getAsString(), sha) + ", but " + what + " uses "
                    + describe(encoderReference, encoderSha256) + "; use the same encoder for both");
        }
    }

    /** The encoder a dataset manifest records, as a bundle reference. */
    static TextEncoderReference ofDataset(JsonObject manifest, int hiddenSize) {
        JsonObject text = manifest.getAsJsonObject("textEncoder");
        return new TextEncoderReference(text.get("reference").getAsString(), text.get("sha256").getAsString(),
                TextPooling.valueOf(text.get("pooling").getAsString()), text.get("maxTokens").getAsInt(), hiddenSize);
    }

    static String describe(String reference, String sha256) {
        return reference + " (weights sha256 " + sha256.substring(0, Math.min(12, sha256.length())) + "…)";
    }
}
