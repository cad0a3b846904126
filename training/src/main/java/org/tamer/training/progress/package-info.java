/**
 * A progress line with rate and ETA for long jobs such as a dataset build
 * ({@link org.tamer.training.progress.Progress}).
 */
package org.tamer.training.progress;
