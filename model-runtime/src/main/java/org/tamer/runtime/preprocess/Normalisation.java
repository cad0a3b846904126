package org.tamer.runtime.preprocess;

/** How amplitudes are scaled after resampling and cropping. */
public enum Normalisation {
    /** {@code (x - min) / (max - min)} over all leads and samples together: the MERL/TAMER convention. */
    GLOBAL_MIN_MAX,
    /** {@code (x - mean) / std} per lead. */
    Z_SCORE_PER_LEAD,
    /** Millivolts unchanged. */
    NONE
}
