/**
 * The training command-line tool {@code tamer-train} ({@link org.tamer.training.cli.TamerCli}) and its commands:
 * build-dataset, pretrain, evaluate, calibrate, publish, embed, plot and retrain. Options are recorded with a run so
 * that it can be resumed, and the chosen frozen report encoder is checked against the dataset, run or bundle.
 */
package org.tamer.training.cli;
