package org.tamer.runtime.preprocess;

/**
 * Rational-rate resampling by {@code up/down} with a Kaiser-windowed sinc anti-aliasing filter applied in
 * polyphase form (the design of {@code scipy.signal.resample_poly}: cut-off at the lower of the two Nyquist
 * frequencies, half-length of ten periods of the larger factor, Kaiser beta 5). The filter is zero-phase, so
 * output sample {@code n} is aligned with input time {@code n * down / up}. Beyond the record's ends the edge
 * sample is repeated, which avoids the transients that zero padding causes on a signal with a DC offset.
 *
 * <p>Immutable and thread-safe.
 */
public final class PolyphaseResampler {

    private static final double KAISER_BETA = 5.0;
    private static final int HALF_LENGTH_PER_FACTOR = 10;

    private final int up;
    private final int down;
    private final int halfLength;
    /** phases[p][i] = h[p + i * up]: the taps that meet input samples for output positions of phase p. */
    private final double[][] phases;

    public PolyphaseResampler(int up, int down) {
        if (up <= 0 || down <= 0) {
            throw new IllegalArgumentException("up and down must be positive, got " + up + "/" + down);
        }
        int g = gcd(up, down);
        this.up = up / g;
        this.down = down / g;
        int maxFactor = Math.max(this.up, this.down);
        this.halfLength = HALF_LENGTH_PER_FACTOR * maxFactor;
        double[] taps = lowPass(2 * halfLength + 1, 1.0 / maxFactor);
        for (int i = 0; i < taps.length; i++) {
            taps[i] *= this.up;
        }
        this.phases = new double[this.up][];
        for (int p = 0; p < this.up; p++) {
            int count = (taps.length - p + this.up - 1) / this.up;
            phases[p] = new double[count];
            for (int i = 0; i < count; i++) {
                phases[p][i] = taps[p + i * this.up];
            }
        }
    }

    public int up() {
        return up;
    }

    public int down() {
        return down;
    }

    /** Output length for an input of {@code inputLength} samples: {@code ceil(inputLength * up / down)}. */
    public int outputLength(int inputLength) {
        return (int) ((inputLength * (long) up + down - 1) / down);
    }

    /** Resamples one lead. */
    public float[] resample(float[] input) {
        int n = input.length;
        float[] output = new float[outputLength(n)];
        if (up == 1 && down == 1) {
            System.arraycopy(input, 0, output, 0, n);
            return output;
        }
        for (int out = 0; out < output.length; out++) {
            long centre = (long) out * down + halfLength;
            int phase = (int) (centre % up);
            long base = (centre - phase) / up;
            double[] taps = phases[phase];
            double sum = 0;
            long first = base - (taps.length - 1);
            if (first >= 0 && base < n) {
                int k = (int) base;
                for (double tap : taps) {
                    sum += tap * input[k--];
                }
            } else {
                for (int i = 0; i < taps.length; i++) {
                    long k = base - i;
                    float x = input[(int) Math.max(0, Math.min(n - 1, k))];
                    sum += taps[i] * x;
                }
            }
            output[out] = (float) sum;
        }
        return output;
    }

    /** Windowed-sinc low-pass FIR with cut-off {@code cutoff} (fraction of Nyquist), unit gain at DC. */
    static double[] lowPass(int numTaps, double cutoff) {
        double[] h = new double[numTaps];
        double centre = (numTaps - 1) / 2.0;
        double i0Beta = besselI0(KAISER_BETA);
        double sum = 0;
        for (int i = 0; i < numTaps; i++) {
            double m = i - centre;
            double x = cutoff * m;
            double sinc = x == 0 ? 1.0 : Math.sin(Math.PI * x) / (Math.PI * x);
            double r = 2.0 * i / (numTaps - 1) - 1.0;
            double window = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
            h[i] = cutoff * sinc * window;
            sum += h[i];
        }
        for (int i = 0; i < numTaps; i++) {
            h[i] /= sum;
        }
        return h;
    }

    /** Modified Bessel function of the first kind, order zero, by its power series. */
    static double besselI0(double x) {
        double term = 1;
        double sum = 1;
        double quarterSquare = x * x / 4;
        for (int k = 1; k < 200 && term > 1e-17 * sum; k++) {
            term *= quarterSquare / ((double) k * k);
            sum += term;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
