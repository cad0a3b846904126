package org.tamer.runtime.inference;

/**
 * One class's result for one ECG.
 *
 * @param code        the class code, e.g. {@code AFIB}
 * @param score       cosine similarity of the ECG embedding z^e and the class embedding, in [-1, 1]
 * @param probability the calibrated probability (see {@link Calibration})
 */
public record ClassScore(String code, double score, double probability) {
}
