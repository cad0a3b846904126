package org.tamer.runtime.preprocess;

/**
 * What the {@link Preprocessor} did to one record, for logs, dataset manifests and data-quality metrics.
 *
 * @param repairedSamples missing samples filled from their neighbours (over all leads)
 * @param sourceRateHz    the record's sampling rate
 * @param sourceLength    samples per lead in the record
 * @param croppedSamples  samples per lead dropped to fit the model length
 * @param paddedSamples   zero samples per lead appended to reach the model length
 * @param minimum         smallest value before scaling (mV)
 * @param maximum         largest value before scaling (mV)
 */
public record PreprocessingReport(
        int repairedSamples,
        double sourceRateHz,
        int sourceLength,
        int croppedSamples,
        int paddedSamples,
        double minimum,
        double maximum) {
}
