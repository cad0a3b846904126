package org.tamer.training.loss;

import java.util.Objects;

/**
 * The TAMER objective L = RLCA + UECR + RADA + RGWR, with each term switchable for ablations.
 *
 * @param temperature       τ of RLCA, UECR and RADA (0.04)
 * @param tokenTemperature  λ of RGWR's Eq. 4 (0.04)
 * @param uecrDropout       dropout rate of UECR's two views of z^e
 * @param rlca              include RLCA (off in the "no RLCA" and "no spectrogram" ablations)
 * @param uecr              include UECR
 * @param rada              include RADA
 * @param rgwr              include RGWR (off in the "no RGWR" ablation)
 * @param denominator       reading of Eq. 1's 1[j≠i]
 * @param ecgTokenWeighting ECG-side weights of Eq. 4
 */
public record TamerLossConfig(
        float temperature,
        float tokenTemperature,
        float uecrDropout,
        boolean rlca,
        boolean uecr,
        boolean rada,
        boolean rgwr,
        InfoNceDenominator denominator,
        EcgTokenWeighting ecgTokenWeighting) {

    public TamerLossConfig {
        if (!(temperature > 0) || !(tokenTemperature > 0)) {
            throw new IllegalArgumentException("temperatures must be positive");
        }
        if (!(uecrDropout >= 0 && uecrDropout < 1)) {
            throw new IllegalArgumentException("uecrDropout must be in [0, 1), got " + uecrDropout);
        }
        if (!(rlca || uecr || rada || rgwr)) {
            throw new IllegalArgumentException("at least one loss term must be enabled");
        }
        Objects.requireNonNull(denominator, "denominator");
        Objects.requireNonNull(ecgTokenWeighting, "ecgTokenWeighting");
    }

    /** The paper's objective: all four terms, τ = λ = 0.04, dropout 0.1 for UECR. */
    public static TamerLossConfig paper() {
        return new TamerLossConfig(0.04f, 0.04f, 0.1f, true, true, true, true, InfoNceDenominator.ALL_PAIRS,
                EcgTokenWeighting.UNIFORM);
    }

    public TamerLossConfig withTerms(boolean rlcaOn, boolean uecrOn, boolean radaOn, boolean rgwrOn) {
        return new TamerLossConfig(temperature, tokenTemperature, uecrDropout, rlcaOn, uecrOn, radaOn, rgwrOn,
                denominator, ecgTokenWeighting);
    }

    public TamerLossConfig withTemperature(float tau) {
        return new TamerLossConfig(tau, tau, uecrDropout, rlca, uecr, rada, rgwr, denominator, ecgTokenWeighting);
    }
}
