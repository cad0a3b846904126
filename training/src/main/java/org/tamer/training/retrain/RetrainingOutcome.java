package org.tamer.training.retrain;

/**
 * What one retraining run did.
 *
 * @param newRecords    records of the archive not seen by earlier runs
 * @param currentAuc    the current bundle's macro AUC on the fixed validation set (NaN when not evaluated)
 * @param candidateAuc  the retrained network's macro AUC on the same set (NaN when not evaluated)
 * @param published     whether the candidate replaced the current bundle
 * @param reason        why, in words
 */
public record RetrainingOutcome(int newRecords, double currentAuc, double candidateAuc, boolean published,
                                String reason) {
}
