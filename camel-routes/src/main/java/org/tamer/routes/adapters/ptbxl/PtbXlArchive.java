package org.tamer.routes.adapters.ptbxl;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.tamer.routes.adapters.EcgArchive;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.wfdb.WfdbReader;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.SourceMetadata;

/**
 * A PTB-XL archive root ({@code ptbxl_database.csv}, {@code scp_statements.csv}, {@code records100/},
 * {@code records500/}). Records are keyed by {@code ecg_id} and carry the patient reference, recording time,
 * device and the chosen report. PTB-XL's times are date-shifted local times; they are given offset UTC.
 */
public final class PtbXlArchive implements EcgArchive {

    public static final String LAYOUT = "PTB-XL";

    private final Path root;
    private final PtbXlDatabase database;
    private final boolean highRate;
    private final ReportLanguage language;
    private final WfdbReader reader = new WfdbReader();

    /**
     * @param highRate read the 500 Hz records ({@code filename_hr}) rather than the 100 Hz ones
     * @param language which report to attach
     */
    public PtbXlArchive(Path root, boolean highRate, ReportLanguage language) {
        this.root = Objects.requireNonNull(root, "root");
        this.database = PtbXlDatabase.load(root);
        this.highRate = highRate;
        this.language = Objects.requireNonNull(language, "language");
    }

    public PtbXlDatabase database() {
        return database;
    }

    @Override
    public String layout() {
        return LAYOUT;
    }

    @Override
    public List<String> recordKeys() {
        return database.entries().stream().map(e -> Integer.toString(e.ecgId())).toList();
    }

    @Override
    public EcgRecord read(String key) {
        int ecgId;
        try {
            ecgId = Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new EcgFormatException(root.resolve(PtbXlDatabase.DATABASE_FILE).toString(), "ecg_id",
                    "'" + key + "' is not a record id", e);
        }
        PtbXlEntry entry = database.entry(ecgId).orElseThrow(() -> new EcgFormatException(
                root.resolve(PtbXlDatabase.DATABASE_FILE).toString(), "ecg_id", "no record " + ecgId));
        return read(entry);
    }

    /** Reads the waveform of an entry and attaches its metadata. */
    public EcgRecord read(PtbXlEntry entry) {
        String file = highRate ? entry.highRateFile() : entry.lowRateFile();
        EcgRecord wfdb = reader.read(root.resolve(file + ".hea")).ecg();
        String report = language == ReportLanguage.ORIGINAL ? entry.report() : entry.englishReport();
        return new EcgRecord("ptbxl-" + entry.ecgId(),
                Optional.of("Patient/ptbxl-" + entry.patientId()),
                Optional.empty(),
                entry.recordingDate().map(time -> time.atOffset(ZoneOffset.UTC)),
                wfdb.signal(),
                Optional.of(report),
                new SourceMetadata(LAYOUT, wfdb.source().file(), Optional.of(entry.device())
                        .filter(d -> !d.isBlank())));
    }
}
