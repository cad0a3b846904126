/** The optimiser (AdamW with checkpointable moments) and the learning-rate schedule (cosine warm restarts). */
package org.tamer.training.optim;
