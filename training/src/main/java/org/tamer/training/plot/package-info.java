/**
 * PNG plots for the {@code plot} command: an exact t-SNE map of ECG embeddings ({@link org.tamer.training.plot.Tsne})
 * and scatter and line charts drawn with XChart ({@link org.tamer.training.plot.Charts}).
 */
package org.tamer.training.plot;
