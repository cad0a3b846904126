/**
 * Training: the TAMER losses, the optimiser and schedule, and (with the training issue) datasets, the trainer,
 * evaluation and the command-line tool.
 */
package org.tamer.training;
