package org.tamer.runtime.preprocess;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Objects;
import org.tamer.runtime.ecg.Lead;

/**
 * A model-ready waveform: {@code leads × length} floats, lead-major, at the model rate. Immutable; the array is
 * never handed out, only copied into a caller's buffer (which is how batches are assembled without extra
 * copies).
 */
public final class PreprocessedEcg {

    private final String recordId;
    private final List<Lead> leads;
    private final double samplingRateHz;
    private final int length;
    private final float[] values;
    private final PreprocessingReport report;

    PreprocessedEcg(String recordId, List<Lead> leads, double samplingRateHz, int length, float[] values,
                    PreprocessingReport report) {
        this.recordId = Objects.requireNonNull(recordId, "recordId");
        this.leads = List.copyOf(leads);
        this.samplingRateHz = samplingRateHz;
        this.length = length;
        this.values = Objects.requireNonNull(values, "values");
        this.report = Objects.requireNonNull(report, "report");
        if (values.length != leads.size() * length) {
            throw new IllegalArgumentException("expected " + leads.size() * length + " values, got " + values.length);
        }
    }

    /**
     * Wraps values that were preprocessed earlier (for example read back from a dataset shard).
     *
     * @param values lead-major, {@code leads.size() * length} floats; copied
     */
    public static PreprocessedEcg of(String recordId, List<Lead> leads, double samplingRateHz, int length,
                                     float[] values, PreprocessingReport report) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("record " + recordId + ": value " + i + " is not finite");
            }
        }
        return new PreprocessedEcg(recordId, leads, samplingRateHz, length, values.clone(), report);
    }

    public String recordId() {
        return recordId;
    }

    public List<Lead> leads() {
        return leads;
    }

    public int leadCount() {
        return leads.size();
    }

    public double samplingRateHz() {
        return samplingRateHz;
    }

    /** Samples per lead. */
    public int length() {
        return length;
    }

    public PreprocessingReport report() {
        return report;
    }

    public float value(int leadIndex, int sampleIndex) {
        return values[leadIndex * length + sampleIndex];
    }

    /** A copy of the whole waveform, lead-major. */
    public float[] toArray() {
        return values.clone();
    }

    /** Copies one lead into {@code destination} at {@code offset}. */
    public void copyLeadInto(int leadIndex, float[] destination, int offset) {
        System.arraycopy(values, leadIndex * length, destination, offset, length);
    }

    /** Writes the whole waveform, lead-major, at the buffer's position. */
    public void writeTo(FloatBuffer destination) {
        destination.put(values);
    }

    /** Writes the whole waveform, lead-major, into {@code destination} at {@code offset}. */
    public void copyInto(float[] destination, int offset) {
        System.arraycopy(values, 0, destination, offset, values.length);
    }
}
