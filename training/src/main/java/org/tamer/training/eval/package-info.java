/**
 * Zero-shot evaluation ({@link org.tamer.training.eval.ZeroShotEvaluator}): cosine scores of fused ECG embeddings
 * against class prompt embeddings, per-class ROC AUC and the macro AUC with a bootstrap interval
 * ({@link org.tamer.training.eval.MacroAuc}). Also Platt scaling, operating points chosen by Youden's J, and the
 * quality of a bundle's probabilities and operating points on a labelled split.
 */
package org.tamer.training.eval;
