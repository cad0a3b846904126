package org.tamer.training.dataset;

import java.util.List;
import java.util.Objects;
import org.tamer.routes.adapters.EcgArchive;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * Any {@link EcgArchive} (a WFDB or Challenge folder, CPSC2018, MIMIC-IV-ECG) as a training source: the patient is
 * the record's subject reference (or the record itself when the archive has none), the split is assigned by patient,
 * and the labels come from a {@link RecordLabeller} (none by default).
 */
public final class ArchiveTrainingSource implements TrainingSource {

    private final EcgArchive archive;
    private final PatientSplitter splitter;
    private final String description;
    private final RecordLabeller labeller;

    public ArchiveTrainingSource(EcgArchive archive, PatientSplitter splitter, String description) {
        this(archive, splitter, description, RecordLabeller.none());
    }

    public ArchiveTrainingSource(EcgArchive archive, PatientSplitter splitter, String description,
                                 RecordLabeller labeller) {
        this.archive = Objects.requireNonNull(archive, "archive");
        this.splitter = Objects.requireNonNull(splitter, "splitter");
        this.description = Objects.requireNonNull(description, "description");
        this.labeller = Objects.requireNonNull(labeller, "labeller");
    }

    @Override
    public String description() {
        String labels = labeller.describe();
        return description + "; " + splitter.describe() + (labels.equals("none") ? "" : "; labels: " + labels);
    }

    @Override
    public List<String> keys() {
        return archive.recordKeys();
    }

    @Override
    public LabelledRecord read(String key) {
        EcgRecord record = archive.read(key);
        String patient = record.subjectReference().orElse("record:" + record.id());
        return new LabelledRecord(record, patient, splitter.split(patient), labeller.labels(key, record, archive));
    }
}
