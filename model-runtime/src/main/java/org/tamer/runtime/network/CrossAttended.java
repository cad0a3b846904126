package org.tamer.runtime.network;

import ai.djl.ndarray.NDArray;

/**
 * RGWR's dual cross-attention (Eq. 3).
 *
 * @param ecgFromReport    each ECG token's attention over the report tokens {@code [batch, n, D]}
 * @param reportFromEcg    each report token's attention over the ECG tokens {@code [batch, tokens, D]}
 */
public record CrossAttended(NDArray ecgFromReport, NDArray reportFromEcg) {
}
