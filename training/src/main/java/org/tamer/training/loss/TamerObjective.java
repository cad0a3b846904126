package org.tamer.training.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import java.util.Objects;
import java.util.Optional;
import org.tamer.runtime.network.CrossAttended;
import org.tamer.runtime.network.EcgEmbedding;
import org.tamer.runtime.network.GraphScalar;
import org.tamer.runtime.network.ReportEmbedding;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.text.ReportFeatures;

/**
 * TAMER's pre-training objective over one batch of ECG–report pairs:
 * <ul>
 *   <li>RLCA: symmetric InfoNCE between the projected global temporal and spectral features g^t, g^f;</li>
 *   <li>UECR: symmetric InfoNCE between two dropout views of the fused embedding z^e;</li>
 *   <li>RADA: symmetric InfoNCE between z^e and the projected report feature g^r;</li>
 *   <li>RGWR: the token-weighted InfoNCE of Eq. 4 after the dual cross-attention of Eq. 3, ECG side and report
 *       side averaged; report tokens weighted by the text encoder's [CLS] attention w.</li>
 * </ul>
 */
public final class TamerObjective {

    private final TamerLossConfig config;

    public TamerObjective(TamerLossConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public TamerLossConfig config() {
        return config;
    }

    /**
     * Runs the network in training mode and evaluates the objective. All arrays belong to {@code waveform}'s
     * manager.
     */
    public LossTerms evaluate(TamerNetwork network, ParameterStore store, NDArray waveform, NDArray spectrogram,
                              ReportFeatures report) {
        EcgEmbedding ecg = network.embedEcg(store, waveform, spectrogram, true);
        ReportEmbedding text = network.embedReport(store, report, true);
        Optional<NDArray> rlca = Optional.empty();
        if (config.rlca() && ecg.spectralGlobal().isPresent()) {
            rlca = Optional.of(Contrastive.symmetricInfoNce(ecg.temporalGlobal(), ecg.spectralGlobal().get(),
                    config.temperature(), config.denominator()));
        }
        Optional<NDArray> uecr = Optional.empty();
        if (config.uecr()) {
            NDArray first = Dropout.dropout(ecg.fused(), config.uecrDropout(), true).head();
            NDArray second = Dropout.dropout(ecg.fused(), config.uecrDropout(), true).head();
            uecr = Optional.of(Contrastive.symmetricInfoNce(first, second, config.temperature(),
                    config.denominator()));
        }
        Optional<NDArray> rada = config.rada()
                ? Optional.of(Contrastive.symmetricInfoNce(ecg.fused(), text.global(), config.temperature(),
                        config.denominator()))
                : Optional.empty();
        Optional<NDArray> rgwr = config.rgwr() ? Optional.of(rgwr(network, store, ecg, text)) : Optional.empty();
        NDArray total = null;
        for (Optional<NDArray> term : java.util.List.of(rlca, uecr, rada, rgwr)) {
            if (term.isPresent()) {
                total = total == null ? term.get() : total.add(term.get());
            }
        }
        if (total == null) {
            throw new IllegalStateException("no loss term applies: RLCA needs the spectrogram branch");
        }
        return new LossTerms(rlca, uecr, rada, rgwr, total);
    }

    private NDArray rgwr(TamerNetwork network, ParameterStore store, EcgEmbedding ecg, ReportEmbedding text) {
        CrossAttended cross = network.crossAttend(store, ecg.localTokens(), text, true);
        long batch = ecg.localTokens().getShape().get(0);
        long tokens = ecg.localTokens().getShape().get(1);
        NDArray ecgWeights = config.ecgTokenWeighting() == EcgTokenWeighting.ATTENTION_POOLING
                && ecg.poolingWeights().isPresent()
                ? ecg.poolingWeights().get().stopGradient()
                : ecg.localTokens().getManager().ones(new ai.djl.ndarray.types.Shape(batch, tokens))
                        .div(GraphScalar.of(ecg.localTokens(), tokens));
        NDArray ecgSide = Contrastive.tokenWeightedInfoNce(ecg.localTokens(), cross.ecgFromReport(), null,
                ecgWeights, config.tokenTemperature(), config.denominator());
        NDArray reportSide = Contrastive.tokenWeightedInfoNce(text.tokens(), cross.reportFromEcg(), text.mask(),
                text.clsAttention(), config.tokenTemperature(), config.denominator());
        return ecgSide.add(reportSide).mul(GraphScalar.of(ecgSide, 0.5f));
    }
}
