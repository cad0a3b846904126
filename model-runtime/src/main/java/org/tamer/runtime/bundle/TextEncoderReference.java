package org.tamer.runtime.bundle;

import java.util.Objects;
import org.tamer.runtime.text.TextPooling;

/**
 * Which frozen report encoder a bundle was trained with, pinned by the hash of its weights.
 *
 * @param reference  {@code embedded:all-minilm-l6-v2} or {@code huggingface:/path/to/folder}
 * @param sha256     SHA-256 of the encoder's weights file
 * @param pooling    how g^r was pooled
 * @param maxTokens  the tokenizer's maximum length
 * @param hiddenSize the encoder's hidden size
 */
public record TextEncoderReference(String reference, String sha256, TextPooling pooling, int maxTokens,
                                   int hiddenSize) {

    public TextEncoderReference {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(pooling, "pooling");
    }
}
