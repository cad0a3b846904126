package org.tamer.runtime.text;

import ai.djl.ndarray.NDArray;

/**
 * The frozen encoder's view of a batch of reports. All arrays belong to the manager passed to
 * {@link TextEncoder#encode}, which closes them.
 *
 * @param tokens       l^r: token hidden states {@code [batch, tokens, hidden]}
 * @param mask         1 for real tokens, 0 for padding {@code [batch, tokens]} (float32)
 * @param clsAttention w: the last layer's [CLS] attention over tokens, padding zero, rows summing to one
 * @param global       g^r: the pooled report feature {@code [batch, hidden]}
 */
public record ReportFeatures(NDArray tokens, NDArray mask, NDArray clsAttention, NDArray global) {
}
