package org.tamer.training.loss;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The terms of one evaluation of the TAMER objective (scalars; absent when switched off) and their sum.
 */
public record LossTerms(Optional<NDArray> rlca, Optional<NDArray> uecr, Optional<NDArray> rada,
                        Optional<NDArray> rgwr, NDArray total) {

    /** Each present term and the total as plain numbers, for logs. */
    public Map<String, Float> values() {
        Map<String, Float> values = new LinkedHashMap<>();
        rlca.ifPresent(v -> values.put("rlca", v.getFloat()));
        uecr.ifPresent(v -> values.put("uecr", v.getFloat()));
        rada.ifPresent(v -> values.put("rada", v.getFloat()));
        rgwr.ifPresent(v -> values.put("rgwr", v.getFloat()));
        values.put("total", total.getFloat());
        return values;
    }
}
