package org.tamer.routes.adapters.mat;

/**
 * Limits on what a MAT-file may make the reader allocate, checked before allocating. Each limit is named in the
 * error that reports it by the constant's text (the gateway setting that changes it).
 *
 * @param maxInflatedBytes bytes all compressed elements of one file may inflate to, together
 * @param maxValues        numbers one matrix may hold (each becomes an 8-byte double)
 * @param maxDepth         nesting of structures (and compressed elements) inside one variable
 */
public record MatLimits(long maxInflatedBytes, long maxValues, int maxDepth) {

    public static final String MAX_INFLATED_BYTES = "tamer.decoder.max-decompressed-bytes";
    public static final String MAX_VALUES = "tamer.decoder.max-total-samples";
    public static final String MAX_DEPTH = "tamer.decoder.max-nesting-depth";

    public MatLimits {
        if (maxInflatedBytes < 1 || maxValues < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("MAT limits must be positive: " + maxInflatedBytes + ", " + maxValues
                    + ", " + maxDepth);
        }
        if (maxInflatedBytes > Integer.MAX_VALUE - 8 || maxValues > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("MAT limits must stay below 2^31 (one Java array): "
                    + maxInflatedBytes + ", " + maxValues);
        }
    }

    /**
     * 64 MiB inflated, 16,000,000 values (a 60 s 12-lead CPSC2018 record holds 360,000), nesting 32 deep: the
     * defaults of the decoder limits with the same keys.
     */
    public static MatLimits defaults() {
        return new MatLimits(64L << 20, 16_000_000L, 32);
    }
}
