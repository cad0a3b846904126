package org.tamer.runtime.ecg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The sampled voltages of an ECG: a sampling rate, an ordered list of distinct leads and, per lead, the same
 * number of samples in millivolts. A sample that the source marks as missing is {@code NaN}; infinities are
 * rejected. Instances are immutable: the arrays are copied in (or adopted, see {@link #adopt}) and never
 * handed out.
 */
public final class EcgSignal {

    private final double samplingRateHz;
    private final List<Lead> leads;
    private final float[][] millivolts;

    private EcgSignal(double samplingRateHz, List<Lead> leads, float[][] millivolts) {
        if (!(samplingRateHz > 0) || Double.isInfinite(samplingRateHz)) {
            throw new IllegalArgumentException("sampling rate must be positive and finite, got " + samplingRateHz);
        }
        Objects.requireNonNull(leads, "leads");
        Objects.requireNonNull(millivolts, "millivolts");
        if (leads.isEmpty()) {
            throw new IllegalArgumentException("a signal needs at least one lead");
        }
        if (leads.size() != millivolts.length) {
            throw new IllegalArgumentException(
                    leads.size() + " leads named but " + millivolts.length + " sample arrays given");
        }
        Set<Lead> seen = new HashSet<>();
        for (Lead lead : leads) {
            if (!seen.add(Objects.requireNonNull(lead, "lead"))) {
                throw new IllegalArgumentException("duplicate lead " + lead.label());
            }
        }
        int length = Objects.requireNonNull(millivolts[0], "samples of lead " + leads.get(0).label()).length;
        for (int i = 0; i < millivolts.length; i++) {
            float[] samples = Objects.requireNonNull(millivolts[i], "samples of lead " + leads.get(i).label());
            if (samples.length != length) {
                throw new IllegalArgumentException("lead " + leads.get(i).label() + " has " + samples.length
                        + " samples but lead " + leads.get(0).label() + " has " + length);
            }
            for (int t = 0; t < samples.length; t++) {
                if (Float.isInfinite(samples[t])) {
                    throw new IllegalArgumentException("lead " + leads.get(i).label() + " sample " + t
                            + " is infinite; mark missing samples as NaN");
                }
            }
        }
        if (length == 0) {
            throw new IllegalArgumentException("a signal needs at least one sample per lead");
        }
        this.samplingRateHz = samplingRateHz;
        this.leads = List.copyOf(leads);
        this.millivolts = millivolts;
    }

    /** A signal holding copies of the given arrays. */
    public static EcgSignal of(double samplingRateHz, List<? extends Lead> leads, float[][] millivolts) {
        Objects.requireNonNull(millivolts, "millivolts");
        float[][] copy = new float[millivolts.length][];
        for (int i = 0; i < millivolts.length; i++) {
            copy[i] = millivolts[i] == null ? null : millivolts[i].clone();
        }
        return new EcgSignal(samplingRateHz, List.copyOf(leads), copy);
    }

    /**
     * A signal that takes ownership of the given arrays without copying them. Readers that have just decoded
     * a file use this; the caller must not touch the arrays afterwards.
     */
    public static EcgSignal adopt(double samplingRateHz, List<? extends Lead> leads, float[][] millivolts) {
        return new EcgSignal(samplingRateHz, List.copyOf(leads), millivolts);
    }

    public double samplingRateHz() {
        return samplingRateHz;
    }

    /** The leads in the order the source gave them. */
    public List<Lead> leads() {
        return leads;
    }

    public int leadCount() {
        return leads.size();
    }

    /** Samples per lead. */
    public int length() {
        return millivolts[0].length;
    }

    /** Duration in seconds. */
    public double durationSeconds() {
        return length() / samplingRateHz;
    }

    /** The position of a lead in {@link #leads()}, if present. */
    public Optional<Integer> indexOf(Lead lead) {
        int index = leads.indexOf(lead);
        return index < 0 ? Optional.empty() : Optional.of(index);
    }

    /** One sample in millivolts ({@code NaN} where missing). */
    public float millivolts(int leadIndex, int sampleIndex) {
        return millivolts[leadIndex][sampleIndex];
    }

    /** A copy of one lead's samples. */
    public float[] copyOfLead(int leadIndex) {
        return millivolts[leadIndex].clone();
    }

    /** Copies one lead's samples into {@code destination} starting at {@code offset}. */
    public void copyLeadInto(int leadIndex, float[] destination, int offset) {
        System.arraycopy(millivolts[leadIndex], 0, destination, offset, length());
    }

    /** Number of samples marked missing ({@code NaN}) over all leads. */
    public int missingSampleCount() {
        int missing = 0;
        for (float[] lead : millivolts) {
            for (float v : lead) {
                if (Float.isNaN(v)) {
                    missing++;
                }
            }
        }
        return missing;
    }

    /** A signal with only the given leads, in the given order. */
    public EcgSignal select(List<? extends Lead> wanted) {
        List<Lead> absent = new ArrayList<>();
        float[][] selected = new float[wanted.size()][];
        for (int i = 0; i < wanted.size(); i++) {
            int index = leads.indexOf(wanted.get(i));
            if (index < 0) {
                absent.add(wanted.get(i));
            } else {
                selected[i] = millivolts[index];
            }
        }
        if (!absent.isEmpty()) {
            throw new MissingLeadsException(absent, leads);
        }
        // The arrays are shared, not copied: both signals are immutable.
        return new EcgSignal(samplingRateHz, List.copyOf(wanted), selected);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EcgSignal that
                && Double.compare(samplingRateHz, that.samplingRateHz) == 0
                && leads.equals(that.leads)
                && Arrays.deepEquals(millivolts, that.millivolts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(samplingRateHz, leads, Arrays.deepHashCode(millivolts));
    }

    @Override
    public String toString() {
        return "EcgSignal[" + leads.size() + " leads " + leads + ", " + length() + " samples at "
                + samplingRateHz + " Hz]";
    }
}
