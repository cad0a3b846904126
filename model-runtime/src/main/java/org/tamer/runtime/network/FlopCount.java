package org.tamer.runtime.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Analytic multiply–accumulate counts of one ECG's inference forward pass (to z^e), per component: convolutions,
 * linear layers and attention (projections, scores and weighted sums). Normalisation, activations and pooling are
 * left out (they are memory-bound, not compute-bound). FLOPs are two per multiply–accumulate.
 */
public final class FlopCount {

    private FlopCount() {
    }

    /** Multiply–accumulates per component for one ECG, in forward order. */
    public static Map<String, Long> macsPerEcg(TamerConfig c) {
        Map<String, Long> macs = new LinkedHashMap<>();
        long length = (c.ecgLength() - 1) / 2 + 1;
        int width = c.ecgChannels().get(0);
        long ecg = length * width * c.leads() * 7;
        int in = width;
        for (int stage = 0; stage < c.stageBlocks().size(); stage++) {
            int out = c.ecgChannels().get(stage);
            for (int b = 0; b < c.stageBlocks().get(stage); b++) {
                boolean strided = stage > 0 && b == 0;
                long outLength = strided ? (length - 1) / 2 + 1 : length;
                ecg += outLength * out * in * 3 + outLength * out * out * 3;
                if (strided || in != out) {
                    ecg += outLength * out * in;
                }
                length = outLength;
                in = out;
            }
        }
        macs.put("ecg_encoder", ecg);
        long temporalTokens = length;
        int d = c.latentSize();
        macs.put("temporal_projections", (long) c.ecgFeatureSize() * d * (temporalTokens + 1));
        long tokens = temporalTokens;
        if (c.spectrogramBranch()) {
            List<Integer> ch = c.spectrogramChannels();
            long h = c.frequencyBins();
            long w = c.frames();
            long spec = h * w * ch.get(0) * c.leads() * 9;
            for (int i = 1; i < ch.size(); i++) {
                long outH = i == 1 ? h : (h - 1) / 2 + 1;
                spec += outH * w * ch.get(i) * ch.get(i - 1) * 9 + outH * w * ch.get(i) * ch.get(i) * 9;
                if (i > 1 || !ch.get(i).equals(ch.get(i - 1))) {
                    spec += outH * w * ch.get(i) * ch.get(i - 1);
                }
                h = outH;
            }
            macs.put("spectrogram_encoder", spec);
            macs.put("spectral_projections", (long) c.spectrogramFeatureSize() * d * (w + 1));
            tokens += w;
        }
        if (c.wlai()) {
            long selfAttention = 4L * tokens * d * d + 2L * tokens * tokens * d;
            long pooling = 2L * d * d + 2L * tokens * d * d + 2L * tokens * d;
            macs.put("wlai", 2 * selfAttention + pooling);
        }
        return macs;
    }

    /** Total FLOPs per ECG for inference. */
    public static long flopsPerEcg(TamerConfig c) {
        return 2 * macsPerEcg(c).values().stream().mapToLong(Long::longValue).sum();
    }
}
