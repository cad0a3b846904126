package org.tamer.training.dataset;

import java.util.List;
import java.util.Objects;

/**
 * One training example as stored in a shard: no direct identifier, only pseudonyms.
 *
 * @param pseudonym      a salted hash of the source record id
 * @param patient        a salted hash of the patient reference (to check the patient-wise split)
 * @param split          the split of the example's patient
 * @param report         the cleaned report
 * @param labels         class codes known for the record (may be empty)
 * @param waveform       the preprocessed waveform, leads × samples, lead-major
 * @param tokenFeatures  the frozen text encoder's token states, tokens × hidden, real tokens only
 * @param clsAttention   the encoder's [CLS] attention over the real tokens
 * @param global         the pooled report feature g^r
 */
public record DatasetExample(
        String pseudonym,
        String patient,
        Split split,
        String report,
        List<String> labels,
        float[] waveform,
        float[] tokenFeatures,
        float[] clsAttention,
        float[] global) {

    public DatasetExample {
        Objects.requireNonNull(pseudonym, "pseudonym");
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(report, "report");
        labels = List.copyOf(labels);
        if (tokenFeatures.length != clsAttention.length * global.length) {
            throw new IllegalArgumentException("token features " + tokenFeatures.length + " do not match "
                    + clsAttention.length + " tokens x " + global.length + " hidden");
        }
    }

    public int tokenCount() {
        return clsAttention.length;
    }

    public int hiddenSize() {
        return global.length;
    }
}
