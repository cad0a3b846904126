package org.tamer.training.loss;

/**
 * How RGWR (Eq. 4) weights the ECG-side token terms. The paper weights report tokens by the text encoder's [CLS]
 * attention w but does not say how ECG tokens are weighted.
 */
public enum EcgTokenWeighting {
    /** Every ECG token counts the same (1/n): the default, since no ECG token is known to matter more a priori. */
    UNIFORM,
    /**
     * The WLAI class token's attention over the ECG tokens, the ECG analogue of the report's [CLS] attention
     * (falls back to uniform when WLAI is ablated). Treated as a constant: no gradient flows through the weights.
     */
    ATTENTION_POOLING
}
