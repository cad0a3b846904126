package org.tamer.runtime.spectrogram;

import java.util.Objects;
import org.jtransforms.fft.DoubleFFT_1D;
import org.tamer.runtime.preprocess.PreprocessedEcg;

/**
 * STFT magnitude spectrogram, numerically equal to {@code abs(scipy.signal.stft(x, fs, window='hann',
 * nperseg, noverlap))}: periodic Hann window; {@code nperseg/2} zeros added at both ends; zeros appended so the
 * last frame is complete; one-sided real FFT of each windowed frame divided by the window's sum.
 *
 * <p>The FFT plan and the work buffers are built once and reused, so an instance is <em>not</em> thread-safe:
 * give each worker thread its own.
 */
public final class SpectrogramTransform {

    private final StftConfig config;
    private final DoubleFFT_1D fft;
    private final double[] window;
    private final double windowSum;
    private final double[] frame;

    public SpectrogramTransform(StftConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        int n = config.segmentLength();
        this.fft = new DoubleFFT_1D(n);
        this.window = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
            sum += window[i];
        }
        this.windowSum = sum;
        this.frame = new double[n];
    }

    public StftConfig config() {
        return config;
    }

    /** The spectrogram of every lead of a preprocessed ECG. */
    public Spectrogram apply(PreprocessedEcg ecg) {
        if (Math.abs(ecg.samplingRateHz() - config.samplingRateHz()) > 1e-9) {
            throw new IllegalArgumentException("record " + ecg.recordId() + " is at " + ecg.samplingRateHz()
                    + " Hz but the spectrogram is configured for " + config.samplingRateHz() + " Hz");
        }
        int length = ecg.length();
        float[] lead = new float[length];
        int bins = config.frequencyBins();
        int frames = config.frames(length);
        float[] out = new float[ecg.leadCount() * bins * frames];
        for (int l = 0; l < ecg.leadCount(); l++) {
            ecg.copyLeadInto(l, lead, 0);
            transformLead(lead, 0, length, out, l * bins * frames);
        }
        return new Spectrogram(ecg.leadCount(), bins, frames, out);
    }

    /**
     * Writes the {@code bins × frames} magnitudes of one lead ({@code length} samples of {@code input} from
     * {@code inputOffset}) into {@code output} at {@code outputOffset}.
     */
    public void transformLead(float[] input, int inputOffset, int length, float[] output, int outputOffset) {
        int n = config.segmentLength();
        int half = n / 2;
        int hop = config.hop();
        int bins = config.frequencyBins();
        int frames = config.frames(length);
        for (int f = 0; f < frames; f++) {
            int start = f * hop - half;
            for (int i = 0; i < n; i++) {
                int t = start + i;
                frame[i] = t >= 0 && t < length ? input[inputOffset + t] * window[i] : 0.0;
            }
            fft.realForward(frame);
            for (int k = 0; k < bins; k++) {
                double re;
                double im;
                if (k == 0) {
                    re = frame[0];
                    im = 0;
                } else if (n % 2 == 0 && k == n / 2) {
                    re = frame[1];
                    im = 0;
                } else if (n % 2 == 1 && k == (n - 1) / 2) {
                    re = frame[n - 1];
                    im = frame[1];
                } else {
                    re = frame[2 * k];
                    im = frame[2 * k + 1];
                }
                output[outputOffset + k * frames + f] = (float) (Math.sqrt(re * re + im * im) / windowSum);
            }
        }
    }
}
