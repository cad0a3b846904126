package org.tamer.runtime.network;

import ai.djl.ndarray.NDArray;
import java.util.Optional;

/**
 * The ECG side of a TAMER forward pass, all in the shared latent space D.
 *
 * @param temporalGlobal projected g^t {@code [batch, D]}
 * @param spectralGlobal projected g^f {@code [batch, D]}; empty in the "no spectrogram" ablation
 * @param localTokens    projected local features [l^t; l^f] {@code [batch, n, D]}
 * @param fused          z^e {@code [batch, D]}: the embedding used for zero-shot diagnosis
 * @param poolingWeights the class token's attention over the tokens {@code [batch, n]}; empty without WLAI
 */
public record EcgEmbedding(NDArray temporalGlobal, Optional<NDArray> spectralGlobal, NDArray localTokens,
                           NDArray fused, Optional<NDArray> poolingWeights) {
}
