package org.tamer.runtime.spectrogram;

/**
 * Short-time Fourier transform settings, with the meaning of {@code scipy.signal.stft}'s arguments of the same
 * names (periodic Hann window, {@code boundary='zeros'}, {@code padded=True}, one-sided, spectrum scaling).
 *
 * @param samplingRateHz rate of the input
 * @param segmentLength  {@code nperseg}: samples per frame
 * @param overlap        {@code noverlap}: samples shared by consecutive frames
 */
public record StftConfig(double samplingRateHz, int segmentLength, int overlap) {

    public StftConfig {
        if (!(samplingRateHz > 0)) {
            throw new IllegalArgumentException("samplingRateHz must be positive, got " + samplingRateHz);
        }
        if (segmentLength < 2) {
            throw new IllegalArgumentException("segmentLength must be at least 2, got " + segmentLength);
        }
        if (overlap < 0 || overlap >= segmentLength) {
            throw new IllegalArgumentException("overlap must be in [0, segmentLength), got " + overlap);
        }
    }

    /** TAMER's setting: 500 Hz, 125-sample Hann frames overlapping by 62 (12 × 5000 → 12 × 63 × 81). */
    public static StftConfig paperDefaults() {
        return new StftConfig(500.0, 125, 62);
    }

    /** Samples between frame starts. */
    public int hop() {
        return segmentLength - overlap;
    }

    /** One-sided frequency bins. */
    public int frequencyBins() {
        return segmentLength / 2 + 1;
    }

    /** Frames for an input of {@code length} samples, after the zero boundary and end padding. */
    public int frames(int length) {
        int extended = length + 2 * (segmentLength / 2);
        int remainder = Math.floorMod(extended - segmentLength, hop());
        int padded = extended + (remainder == 0 ? 0 : hop() - remainder);
        return (padded - segmentLength) / hop() + 1;
    }

    /** Centre frequency of bin {@code k} in Hz. */
    public double frequencyHz(int k) {
        return k * samplingRateHz / segmentLength;
    }
}
