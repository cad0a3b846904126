/**
 * Periodic retraining ({@link org.tamer.training.retrain.RetrainingJob}): the archive's new records become a
 * dataset, pre-training continues from the current bundle, and the new bundle is published only if its zero-shot
 * macro AUC on a fixed validation set is not lower; runs can follow a five-field cron expression
 * ({@link org.tamer.training.retrain.CronSchedule}).
 */
package org.tamer.training.retrain;
