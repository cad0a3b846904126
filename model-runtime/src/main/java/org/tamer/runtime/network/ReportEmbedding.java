package org.tamer.runtime.network;

import ai.djl.ndarray.NDArray;

/**
 * The report side of a TAMER forward pass in the shared latent space D.
 *
 * @param global       projected g^r {@code [batch, D]}
 * @param tokens       projected l^r {@code [batch, tokens, D]}
 * @param mask         1 for real tokens, 0 for padding {@code [batch, tokens]}
 * @param clsAttention w, the encoder's [CLS] attention {@code [batch, tokens]}
 */
public record ReportEmbedding(NDArray global, NDArray tokens, NDArray mask, NDArray clsAttention) {
}
