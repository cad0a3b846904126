package org.tamer.training.loss;

/**
 * Which terms the denominator of the paper's Eq. 1 sums over. The paper writes an indicator 1[j≠i] beside a sum
 * that, read literally, would exclude the positive pair; its code and the CLIP/MERL lineage it builds on include
 * it. Both are offered; {@link #ALL_PAIRS} is the default.
 */
public enum InfoNceDenominator {
    /** Standard InfoNCE: log-softmax over all candidates, the positive included. Bounded below by zero. */
    ALL_PAIRS,
    /** The literal reading of 1[j≠i]: positive logit against the log-sum-exp of the negatives only. */
    NEGATIVES_ONLY
}
