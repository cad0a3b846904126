package org.tamer.runtime.preprocess;

import java.util.List;
import java.util.Objects;
import org.tamer.runtime.ecg.Lead;
import org.tamer.runtime.ecg.StandardLead;

/**
 * What the {@link Preprocessor} produces: model rate, model length, lead order and amplitude scaling. The same
 * configuration is written into datasets and model bundles so that training and serving cannot diverge.
 *
 * @param targetRateHz  the model's sampling rate
 * @param targetLength  samples per lead given to the model; shorter records are zero-padded at the end
 * @param leadOrder     the leads the model reads, in order; a record lacking one is rejected
 * @param cropPosition  which part of a longer record is kept
 * @param normalisation amplitude scaling
 */
public record PreprocessingConfig(
        double targetRateHz,
        int targetLength,
        List<Lead> leadOrder,
        CropPosition cropPosition,
        Normalisation normalisation) {

    public PreprocessingConfig {
        if (!(targetRateHz > 0) || Double.isInfinite(targetRateHz)) {
            throw new IllegalArgumentException("targetRateHz must be positive and finite, got " + targetRateHz);
        }
        if (targetLength <= 0) {
            throw new IllegalArgumentException("targetLength must be positive, got " + targetLength);
        }
        leadOrder = List.copyOf(Objects.requireNonNull(leadOrder, "leadOrder"));
        if (leadOrder.isEmpty()) {
            throw new IllegalArgumentException("leadOrder is empty");
        }
        if (leadOrder.stream().distinct().count() != leadOrder.size()) {
            throw new IllegalArgumentException("leadOrder repeats a lead: " + leadOrder);
        }
        Objects.requireNonNull(cropPosition, "cropPosition");
        Objects.requireNonNull(normalisation, "normalisation");
    }

    /** The paper's setting: 12 leads at 500 Hz, 10 s (5000 samples), first 10 s kept, global min-max. */
    public static PreprocessingConfig paperDefaults() {
        return new PreprocessingConfig(500.0, 5000, StandardLead.CANONICAL_ORDER, CropPosition.START,
                Normalisation.GLOBAL_MIN_MAX);
    }

    public PreprocessingConfig withNormalisation(Normalisation scaling) {
        return new PreprocessingConfig(targetRateHz, targetLength, leadOrder, cropPosition, scaling);
    }

    public PreprocessingConfig withTargetLength(int length) {
        return new PreprocessingConfig(targetRateHz, length, leadOrder, cropPosition, normalisation);
    }
}
