package org.tamer.runtime.text;

/** How the report's global feature g^r is taken from the encoder's outputs. */
public enum TextPooling {
    /** The hidden state of the [CLS] token (BERT's convention, and the paper's). */
    CLS,
    /** BERT's pooler: tanh of a dense layer over the [CLS] state; needs pooler weights. */
    POOLER,
    /** The mask-weighted mean of the token states (how sentence-transformers models such as MiniLM were trained). */
    MEAN
}
