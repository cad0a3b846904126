package org.tamer.runtime.spectrogram;

import java.util.Objects;

/**
 * STFT magnitudes of a multi-lead waveform: {@code leads × frequencyBins × frames} floats in that order (the
 * layout of {@code scipy.signal.stft}'s output and of the spectrogram encoder's input). Immutable.
 */
public final class Spectrogram {

    private final int leads;
    private final int frequencyBins;
    private final int frames;
    private final float[] magnitudes;

    Spectrogram(int leads, int frequencyBins, int frames, float[] magnitudes) {
        this.leads = leads;
        this.frequencyBins = frequencyBins;
        this.frames = frames;
        this.magnitudes = Objects.requireNonNull(magnitudes, "magnitudes");
        if (magnitudes.length != leads * frequencyBins * frames) {
            throw new IllegalArgumentException("expected " + leads * frequencyBins * frames + " magnitudes, got "
                    + magnitudes.length);
        }
    }

    public int leads() {
        return leads;
    }

    public int frequencyBins() {
        return frequencyBins;
    }

    public int frames() {
        return frames;
    }

    /** The shape as {@code {leads, frequencyBins, frames}}. */
    public long[] shape() {
        return new long[] {leads, frequencyBins, frames};
    }

    public float magnitude(int lead, int bin, int frame) {
        return magnitudes[(lead * frequencyBins + bin) * frames + frame];
    }

    /** A copy of all magnitudes in {@code leads × bins × frames} order. */
    public float[] toArray() {
        return magnitudes.clone();
    }

    /** Copies all magnitudes into {@code destination} at {@code offset}. */
    public void copyInto(float[] destination, int offset) {
        System.arraycopy(magnitudes, 0, destination, offset, magnitudes.length);
    }
}
