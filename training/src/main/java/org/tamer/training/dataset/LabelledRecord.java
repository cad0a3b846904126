package org.tamer.training.dataset;

import java.util.List;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * A record from a training source with what the dataset needs beside the ECG.
 *
 * @param record  the ECG with its report
 * @param patient the patient reference used for splitting (never written to shards in clear)
 * @param split   the split the source assigns, when it has one
 * @param labels  known class codes
 */
public record LabelledRecord(EcgRecord record, String patient, Split split, List<String> labels) {

    public LabelledRecord {
        labels = List.copyOf(labels);
    }
}
