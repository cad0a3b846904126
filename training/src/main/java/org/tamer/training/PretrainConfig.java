package org.tamer.training;

import java.util.Objects;
import org.tamer.training.loss.TamerLossConfig;

/**
 * Pre-training settings; {@link #paper()} are the paper's.
 *
 * @param batchSize        ECG–report pairs per step (256)
 * @param epochs           passes over the training split (50)
 * @param learningRate     AdamW rate at the top of each cosine cycle (2e-4)
 * @param weightDecay      AdamW decoupled weight decay (1e-7)
 * @param cycleSteps       T0 of the cosine schedule with warm restarts, in steps (40 000)
 * @param checkpointEvery  steps between checkpoints
 * @param seed             seed of initialisation, data order and dropout
 * @param loaderQueue      batches the background loader may prepare ahead (bounds memory)
 * @param loss             the objective and its ablation switches
 */
public record PretrainConfig(int batchSize, int epochs, float learningRate, float weightDecay, int cycleSteps,
                             int checkpointEvery, long seed, int loaderQueue, TamerLossConfig loss) {

    public PretrainConfig {
        if (batchSize < 2) {
            throw new IllegalArgumentException("contrastive losses need batches of at least 2, got " + batchSize);
        }
        if (epochs < 1 || cycleSteps < 1 || checkpointEvery < 1 || loaderQueue < 1) {
            throw new IllegalArgumentException("epochs, cycleSteps, checkpointEvery and loaderQueue must be positive");
        }
        if (!(learningRate > 0) || weightDecay < 0) {
            throw new IllegalArgumentException("learning rate must be positive and weight decay non-negative");
        }
        Objects.requireNonNull(loss, "loss");
    }

    public static PretrainConfig paper() {
        return new PretrainConfig(256, 50, 2e-4f, 1e-7f, 40_000, 500, 20_240_601L, 4, TamerLossConfig.paper());
    }
}
