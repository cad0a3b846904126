package org.tamer.training.dataset;

import java.nio.file.Path;
import java.util.List;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.PtbXlEntry;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;

/**
 * PTB-XL as a training source: patient-wise splits from {@code strat_fold} (9 validation, 10 test), labels = the
 * diagnostic superclasses and subclasses and the SCP statements of each record, named as in the MERL benchmark.
 */
public final class PtbXlTrainingSource implements TrainingSource {

    private final Path root;
    private final PtbXlArchive archive;
    private final boolean highRate;

    public PtbXlTrainingSource(Path root, boolean highRate, ReportLanguage language) {
        this.root = root;
        this.highRate = highRate;
        this.archive = new PtbXlArchive(root, highRate, language);
    }

    @Override
    public String description() {
        return "PTB-XL " + (highRate ? "500" : "100") + " Hz";
    }

    @Override
    public List<String> keys() {
        return archive.recordKeys();
    }

    @Override
    public LabelledRecord read(String key) {
        PtbXlEntry entry = archive.database().entry(Integer.parseInt(key)).orElseThrow();
        Split split = switch (entry.strataFold()) {
            case 9 -> Split.VALIDATION;
            case 10 -> Split.TEST;
            default -> Split.TRAIN;
        };
        // MERL's label names: superclasses, subclasses and statements without PTB-XL's trailing underscore
        java.util.Set<String> labels = new java.util.TreeSet<>(entry.diagnosticSuperclasses());
        entry.diagnosticSubclasses().forEach(c -> labels.add(withoutUnderscore(c)));
        entry.scpCodes().forEach(c -> labels.add(withoutUnderscore(c.code())));
        return new LabelledRecord(archive.read(entry), "ptbxl-patient-" + entry.patientId(), split,
                List.copyOf(labels));
    }

    private static String withoutUnderscore(String code) {
        return code.endsWith("_") ? code.substring(0, code.length() - 1) : code;
    }

    Path root() {
        return root;
    }
}
