package org.tamer.runtime.preprocess;

/** Which part of a record longer than the model length is kept. */
public enum CropPosition {
    /** The first samples (MERL/TAMER). */
    START,
    /** The middle samples. */
    CENTER
}
