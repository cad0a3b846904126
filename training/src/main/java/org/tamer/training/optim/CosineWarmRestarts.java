package org.tamer.training.optim;

/**
 * Cosine annealing with warm restarts (SGDR), stepped per optimiser update: within each cycle of {@code cycleSteps}
 * updates (T0, 40 000 in the paper; the cycle length stays fixed) the rate falls from {@code baseRate} to
 * {@code minimumRate} along half a cosine, then restarts.
 */
public record CosineWarmRestarts(float baseRate, float minimumRate, int cycleSteps) {

    public CosineWarmRestarts {
        if (!(baseRate > 0) || minimumRate < 0 || minimumRate > baseRate) {
            throw new IllegalArgumentException("need 0 <= minimumRate <= baseRate and baseRate > 0");
        }
        if (cycleSteps <= 0) {
            throw new IllegalArgumentException("cycleSteps must be positive, got " + cycleSteps);
        }
    }

    /** The paper's schedule: 2e-4, annealed to 0 over T0 = 40 000 steps, then restarted. */
    public static CosineWarmRestarts paper() {
        return new CosineWarmRestarts(2e-4f, 0f, 40_000);
    }

    /** The rate for the update with 0-based index {@code step}. */
    public float rate(long step) {
        double position = (double) (step % cycleSteps) / cycleSteps;
        return (float) (minimumRate + 0.5 * (baseRate - minimumRate) * (1 + Math.cos(Math.PI * position)));
    }
}
