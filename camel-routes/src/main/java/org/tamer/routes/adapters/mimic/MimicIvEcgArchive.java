package org.tamer.routes.adapters.mimic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVRecord;
import org.tamer.routes.adapters.EcgArchive;
import org.tamer.routes.adapters.CsvTables;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.wfdb.WfdbReader;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.SourceMetadata;

/**
 * The MIMIC-IV-ECG layout: WFDB records under {@code files/pNNNN/pNNNNNNNN/sNNNNNNNN/}, listed by
 * {@code record_list.csv} ({@code subject_id, study_id, file_name, ecg_time, path}), with the machine statements
 * of each study in {@code machine_measurements.csv} ({@code report_0} … {@code report_17}). The report text is the
 * non-empty statements joined into sentences. Records are keyed by {@code study_id}.
 */
public final class MimicIvEcgArchive implements EcgArchive {

    public static final String LAYOUT = "MIMIC-IV-ECG";
    public static final String RECORD_LIST = "record_list.csv";
    public static final String MACHINE_MEASUREMENTS = "machine_measurements.csv";
    private static final int REPORT_COLUMNS = 18;
    private static final DateTimeFormatter ECG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** One study as listed. */
    public record Study(long subjectId, long studyId, String path, Optional<LocalDateTime> ecgTime) {
    }

    private final Path root;
    private final Map<String, Study> studies = new LinkedHashMap<>();
    private final Map<Long, String> reports = new HashMap<>();
    private final Map<Long, String> carts = new HashMap<>();
    private final WfdbReader reader = new WfdbReader();

    public MimicIvEcgArchive(Path root) {
        this.root = root;
        Path list = root.resolve(RECORD_LIST);
        for (CSVRecord row : rows(list)) {
            long subject = longValue(row, "subject_id", list);
            long study = longValue(row, "study_id", list);
            Study entry = new Study(subject, study, text(row, "path", list), time(row, list));
            if (studies.put(Long.toString(study), entry) != null) {
                throw new EcgFormatException(list.toString(), "line " + row.getRecordNumber() + ": study_id",
                        "study " + study + " is listed twice");
            }
        }
        Path measurements = root.resolve(MACHINE_MEASUREMENTS);
        if (Files.exists(measurements)) {
            for (CSVRecord row : rows(measurements)) {
                long study = longValue(row, "study_id", measurements);
                List<String> statements = new ArrayList<>();
                for (int i = 0; i < REPORT_COLUMNS; i++) {
                    String column = "report_" + i;
                    if (row.isMapped(column) && row.isSet(column) && !row.get(column).isBlank()) {
                        String statement = row.get(column).strip();
                        statements.add(statement.endsWith(".") ? statement.substring(0, statement.length() - 1)
                                : statement);
                    }
                }
                if (!statements.isEmpty()) {
                    reports.put(study, String.join(". ", statements) + ".");
                }
                if (row.isMapped("cart_id") && row.isSet("cart_id") && !row.get("cart_id").isBlank()) {
                    carts.put(study, row.get("cart_id").strip());
                }
            }
        }
    }

    @Override
    public String layout() {
        return LAYOUT;
    }

    @Override
    public List<String> recordKeys() {
        return List.copyOf(studies.keySet());
    }

    public Study study(String key) {
        Study study = studies.get(key);
        if (study == null) {
            throw new EcgFormatException(root.resolve(RECORD_LIST).toString(), "study_id", "no study " + key);
        }
        return study;
    }

    @Override
    public EcgRecord read(String key) {
        Study study = study(key);
        EcgRecord wfdb = reader.read(root.resolve(study.path() + ".hea")).ecg();
        return new EcgRecord("mimic-iv-ecg-" + study.studyId(),
                Optional.of("Patient/mimic-iv-" + study.subjectId()),
                Optional.empty(),
                study.ecgTime().map(t -> t.atOffset(ZoneOffset.UTC)).or(wfdb::acquisitionTime),
                wfdb.signal(),
                Optional.ofNullable(reports.get(study.studyId())),
                new SourceMetadata(LAYOUT, wfdb.source().file(), Optional.ofNullable(carts.get(study.studyId()))));
    }

    private static List<CSVRecord> rows(Path file) {
        return CsvTables.read(file);
    }

    private static String text(CSVRecord row, String column, Path file) {
        if (!row.isMapped(column) || !row.isSet(column) || row.get(column).isBlank()) {
            throw new EcgFormatException(file.toString(), "line " + row.getRecordNumber() + ": " + column,
                    "missing");
        }
        return row.get(column).strip();
    }

    private static long longValue(CSVRecord row, String column, Path file) {
        String value = text(row, column, file);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new EcgFormatException(file.toString(), "line " + row.getRecordNumber() + ": " + column,
                    "not an integer: '" + value + "'", e);
        }
    }

    private static Optional<LocalDateTime> time(CSVRecord row, Path file) {
        if (!row.isMapped("ecg_time") || !row.isSet("ecg_time") || row.get("ecg_time").isBlank()) {
            return Optional.empty();
        }
        String value = row.get("ecg_time").strip();
        try {
            return Optional.of(LocalDateTime.parse(value, ECG_TIME));
        } catch (DateTimeParseException e) {
            throw new EcgFormatException(file.toString(), "line " + row.getRecordNumber() + ": ecg_time",
                    "cannot read '" + value + "'", e);
        }
    }
}
