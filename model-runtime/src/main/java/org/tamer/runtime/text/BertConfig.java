package org.tamer.runtime.text;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The shape of a BERT-family encoder, with the meaning of the Hugging Face {@code config.json} keys of the same
 * names.
 */
public record BertConfig(
        int vocabSize,
        int hiddenSize,
        int layers,
        int attentionHeads,
        int intermediateSize,
        int maxPositions,
        int typeVocabSize,
        double layerNormEps) {

    public BertConfig {
        if (vocabSize <= 0 || hiddenSize <= 0 || layers <= 0 || attentionHeads <= 0 || intermediateSize <= 0
                || maxPositions <= 0 || typeVocabSize <= 0 || !(layerNormEps > 0)) {
            throw new IllegalArgumentException("every BERT dimension must be positive: " + this);
        }
        if (hiddenSize % attentionHeads != 0) {
            throw new IllegalArgumentException("hidden size " + hiddenSize + " is not divisible by "
                    + attentionHeads + " attention heads");
        }
    }

    public int headSize() {
        return hiddenSize / attentionHeads;
    }

    /**
     * Reads a Hugging Face {@code config.json}.
     *
     * @param source the file name, for error messages
     */
    public static BertConfig fromJson(String json, String source) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": not a JSON object: " + e.getMessage(), e);
        }
        String activation = o.has("hidden_act") ? o.get("hidden_act").getAsString() : "gelu";
        if (!activation.equals("gelu")) {
            throw new IllegalArgumentException(source + ": hidden_act '" + activation
                    + "' is not supported (only the exact 'gelu' of BERT)");
        }
        return new BertConfig(require(o, "vocab_size", source), require(o, "hidden_size", source),
                require(o, "num_hidden_layers", source), require(o, "num_attention_heads", source),
                require(o, "intermediate_size", source), require(o, "max_position_embeddings", source),
                o.has("type_vocab_size") ? o.get("type_vocab_size").getAsInt() : 2,
                o.has("layer_norm_eps") ? o.get("layer_norm_eps").getAsDouble() : 1e-12);
    }

    private static int require(JsonObject o, String key, String source) {
        if (!o.has(key)) {
            throw new IllegalArgumentException(source + ": '" + key + "' is missing");
        }
        return o.get(key).getAsInt();
    }
}
