package org.tamer.runtime.network;

import java.util.List;
import java.util.Objects;

/**
 * The architecture of a TAMER network. {@link #paper()} is the paper's configuration; tests use smaller ones.
 *
 * @param leads               input leads (12)
 * @param ecgLength           samples per lead (5000 = 10 s at 500 Hz)
 * @param frequencyBins       spectrogram frequency bins (63)
 * @param frames              spectrogram frames (81)
 * @param stageBlocks         residual blocks per stage of the ECG ResNet ([3, 4, 6, 3] = ResNet-34)
 * @param ecgChannels         channels per stage of the ECG ResNet ([64, 128, 256, 512])
 * @param spectrogramChannels channels of the stem and the residual blocks of the spectrogram CNN
 * @param latentSize          D, the shared latent size of all projections (256)
 * @param attentionHeads      heads of every attention layer (WLAI, attention pooling, RGWR)
 * @param textHiddenSize      hidden size of the frozen report encoder (384 for MiniLM, 768 for Med-CPT)
 * @param spectrogramBranch   false for the "no spectrogram branch" ablation
 * @param wlai                false for the "no WLAI" ablation: mean pooling of the local tokens instead
 */
public record TamerConfig(
        int leads,
        int ecgLength,
        int frequencyBins,
        int frames,
        List<Integer> stageBlocks,
        List<Integer> ecgChannels,
        List<Integer> spectrogramChannels,
        int latentSize,
        int attentionHeads,
        int textHiddenSize,
        boolean spectrogramBranch,
        boolean wlai) {

    /**
     * The narrowest convolution this network allows. PyTorch 2.7.1's CPU convolutions (oneDNN) process channels in
     * blocks of 16 on AVX-512 machines such as this project's; below a full block some of its backward kernels are
     * known to write outside their buffers (oneDNN issue 6035: strided 1×1 convolutions, as in the ResNet
     * shortcuts, with fewer than 16 input channels). A compact network with 8-channel stages gave a different
     * loss for the same step of two identical runs in this project's CI (PretrainerTest), and non-finite
     * gradients in an earlier session; networks at 16 channels and more have always reproduced bit for bit.
     */
    public static final int MIN_CONVOLUTION_WIDTH = 16;

    public TamerConfig {
        stageBlocks = List.copyOf(Objects.requireNonNull(stageBlocks, "stageBlocks"));
        ecgChannels = List.copyOf(Objects.requireNonNull(ecgChannels, "ecgChannels"));
        spectrogramChannels = List.copyOf(Objects.requireNonNull(spectrogramChannels, "spectrogramChannels"));
        if (stageBlocks.size() != ecgChannels.size() || stageBlocks.isEmpty()) {
            throw new IllegalArgumentException("stageBlocks " + stageBlocks + " and ecgChannels " + ecgChannels
                    + " must name the same, non-zero number of stages");
        }
        if (spectrogramChannels.size() < 2) {
            throw new IllegalArgumentException("spectrogramChannels needs a stem and at least one block: "
                    + spectrogramChannels);
        }
        for (List<Integer> widths : List.of(ecgChannels, spectrogramChannels)) {
            for (int width : widths) {
                if (width < MIN_CONVOLUTION_WIDTH) {
                    throw new IllegalArgumentException("channel width " + width + " in " + widths + " is below "
                            + MIN_CONVOLUTION_WIDTH + ": the CPU engine's convolution kernels are not reliable for"
                            + " narrower layers (TamerConfig.MIN_CONVOLUTION_WIDTH, docs/model.md)");
                }
            }
        }
        if (latentSize % attentionHeads != 0) {
            throw new IllegalArgumentException("latent size " + latentSize + " is not divisible by "
                    + attentionHeads + " heads");
        }
        if (leads <= 0 || ecgLength <= 0 || frequencyBins <= 0 || frames <= 0 || textHiddenSize <= 0) {
            throw new IllegalArgumentException("dimensions must be positive: " + this);
        }
    }

    /** The paper's network: ResNet-34 over 12 × 5000, a ~3.5 M-parameter spectrogram CNN, D = 256, 8 heads. */
    public static TamerConfig paper(int textHiddenSize) {
        return new TamerConfig(12, 5000, 63, 81, List.of(3, 4, 6, 3), List.of(64, 128, 256, 512),
                List.of(64, 64, 128, 256, 384), 256, 8, textHiddenSize, true, true);
    }

    /**
     * The paper's structure at a fraction of its size (one block per ResNet stage, channels of 16 and 32, D = 32):
     * for smoke runs, tests and quick experiments on a CPU.
     */
    public static TamerConfig compact(int textHiddenSize) {
        return new TamerConfig(12, 5000, 63, 81, List.of(1, 1, 1, 1), List.of(16, 16, 32, 32),
                List.of(16, 16, 16, 32), 32, 4, textHiddenSize, true, true);
    }

    /** The same network with an ablation applied. */
    public TamerConfig withSpectrogramBranch(boolean enabled) {
        return new TamerConfig(leads, ecgLength, frequencyBins, frames, stageBlocks, ecgChannels,
                spectrogramChannels, latentSize, attentionHeads, textHiddenSize, enabled, wlai);
    }

    public TamerConfig withWlai(boolean enabled) {
        return new TamerConfig(leads, ecgLength, frequencyBins, frames, stageBlocks, ecgChannels,
                spectrogramChannels, latentSize, attentionHeads, textHiddenSize, spectrogramBranch, enabled);
    }

    /** Channels of the ECG encoder's local features. */
    public int ecgFeatureSize() {
        return ecgChannels.get(ecgChannels.size() - 1);
    }

    public int spectrogramFeatureSize() {
        return spectrogramChannels.get(spectrogramChannels.size() - 1);
    }
}
