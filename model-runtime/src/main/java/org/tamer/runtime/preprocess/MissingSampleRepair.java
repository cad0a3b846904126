package org.tamer.runtime.preprocess;

/**
 * Fills runs of missing ({@code NaN}) samples with the mean of the finite samples on either side of the run, as
 * MERL's preprocessing does; a run touching an end takes its one finite neighbour.
 */
final class MissingSampleRepair {

    private MissingSampleRepair() {
    }

    /**
     * Repairs {@code samples} in place.
     *
     * @return the number of samples filled
     * @throws IllegalArgumentException if the lead has no finite sample at all
     */
    static int repair(float[] samples, String leadLabel) {
        int repaired = 0;
        int t = 0;
        while (t < samples.length) {
            if (!Float.isNaN(samples[t])) {
                t++;
                continue;
            }
            int start = t;
            while (t < samples.length && Float.isNaN(samples[t])) {
                t++;
            }
            boolean hasLeft = start > 0;
            boolean hasRight = t < samples.length;
            if (!hasLeft && !hasRight) {
                throw new IllegalArgumentException("lead " + leadLabel + " has no finite sample to repair from");
            }
            float fill;
            if (hasLeft && hasRight) {
                fill = (samples[start - 1] + samples[t]) / 2f;
            } else {
                fill = hasLeft ? samples[start - 1] : samples[t];
            }
            for (int i = start; i < t; i++) {
                samples[i] = fill;
            }
            repaired += t - start;
        }
        return repaired;
    }
}
