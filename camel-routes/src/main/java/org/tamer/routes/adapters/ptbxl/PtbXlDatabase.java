package org.tamer.routes.adapters.ptbxl;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVRecord;
import org.tamer.routes.adapters.CsvTables;
import org.tamer.routes.adapters.EcgFormatException;

/**
 * PTB-XL's metadata: {@code ptbxl_database.csv} and {@code scp_statements.csv} of an archive root, loaded once.
 * Every row is checked; a malformed one fails the load with its file, line and column named.
 */
public final class PtbXlDatabase {

    public static final String DATABASE_FILE = "ptbxl_database.csv";
    public static final String STATEMENTS_FILE = "scp_statements.csv";

    private static final Pattern SCP_ENTRY = Pattern.compile("\\s*'([^']+)'\\s*:\\s*([-+0-9.eE]+)\\s*");
    private static final DateTimeFormatter RECORDING_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Map<String, ScpStatement> statements;
    private final Map<Integer, PtbXlEntry> entries;

    private PtbXlDatabase(Map<String, ScpStatement> statements, Map<Integer, PtbXlEntry> entries) {
        this.statements = Collections.unmodifiableMap(statements);
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Loads the two tables from an archive root. */
    public static PtbXlDatabase load(Path root) {
        Map<String, ScpStatement> statements = loadStatements(root.resolve(STATEMENTS_FILE));
        Map<Integer, PtbXlEntry> entries = new LinkedHashMap<>();
        Path file = root.resolve(DATABASE_FILE);
        for (CSVRecord row : rows(file)) {
            PtbXlEntry entry = entry(row, statements, file.toString());
            if (entries.put(entry.ecgId(), entry) != null) {
                throw new EcgFormatException(file.toString(), "line " + row.getRecordNumber() + ": ecg_id",
                        "ecg_id " + entry.ecgId() + " appears twice");
            }
        }
        return new PtbXlDatabase(statements, entries);
    }

    /** All entries in file order. */
    public List<PtbXlEntry> entries() {
        return List.copyOf(entries.values());
    }

    public Optional<PtbXlEntry> entry(int ecgId) {
        return Optional.ofNullable(entries.get(ecgId));
    }

    /** The statement dictionary, keyed by code. */
    public Map<String, ScpStatement> statements() {
        return statements;
    }

    private static Map<String, ScpStatement> loadStatements(Path file) {
        Map<String, ScpStatement> statements = new LinkedHashMap<>();
        for (CSVRecord row : rows(file)) {
            String code = row.get(0).strip();
            if (code.isEmpty()) {
                throw new EcgFormatException(file.toString(), "line " + row.getRecordNumber() + ": code",
                        "statement code is empty");
            }
            statements.put(code, new ScpStatement(code, column(row, "description", file),
                    flag(row, "diagnostic", file), flag(row, "form", file), flag(row, "rhythm", file),
                    optional(column(row, "diagnostic_class", file)),
                    optional(column(row, "diagnostic_subclass", file)),
                    column(row, "Statement Category", file)));
        }
        return statements;
    }

    private static PtbXlEntry entry(CSVRecord row, Map<String, ScpStatement> statements, String file) {
        Path path = Path.of(file);
        int ecgId = (int) number(row, "ecg_id", path);
        long patientId = (long) number(row, "patient_id", path);
        List<ScpCode> codes = scpCodes(column(row, "scp_codes", path), file, row.getRecordNumber());
        Set<String> superclasses = new LinkedHashSet<>();
        Set<String> subclasses = new LinkedHashSet<>();
        Set<String> form = new LinkedHashSet<>();
        Set<String> rhythm = new LinkedHashSet<>();
        for (ScpCode code : codes) {
            ScpStatement statement = statements.get(code.code());
            if (statement == null) {
                throw new EcgFormatException(file, "line " + row.getRecordNumber() + ": scp_codes",
                        "statement '" + code.code() + "' is not in " + STATEMENTS_FILE);
            }
            if (statement.diagnostic()) {
                statement.diagnosticClass().ifPresent(superclasses::add);
                statement.diagnosticSubclass().ifPresent(subclasses::add);
            }
            if (statement.form()) {
                form.add(code.code());
            }
            if (statement.rhythm()) {
                rhythm.add(code.code());
            }
        }
        Optional<LocalDateTime> date = optional(column(row, "recording_date", path)).map(value -> {
            try {
                return LocalDateTime.parse(value, RECORDING_DATE);
            } catch (DateTimeParseException e) {
                throw new EcgFormatException(file, "line " + row.getRecordNumber() + ": recording_date",
                        "cannot read '" + value + "'", e);
            }
        });
        return new PtbXlEntry(ecgId, patientId, optionalInt(row, "age", path), optionalInt(row, "sex", path),
                column(row, "device", path).strip(), date, column(row, "report", path).strip(), codes,
                superclasses, subclasses, form, rhythm, (int) number(row, "strat_fold", path),
                column(row, "filename_lr", path), column(row, "filename_hr", path),
                englishReport(codes, statements));
    }

    /**
     * A report in English built from the statement descriptions, rhythm first, then diagnostic statements by
     * falling likelihood, then form statements, the way machine-statement reports (MIMIC-IV-ECG) read.
     */
    static String englishReport(List<ScpCode> codes, Map<String, ScpStatement> statements) {
        List<ScpCode> ordered = new ArrayList<>(codes);
        ordered.sort(Comparator.comparingInt((ScpCode c) -> rank(statements.get(c.code())))
                .thenComparing(Comparator.comparingDouble(ScpCode::likelihood).reversed()));
        Set<String> sentences = new LinkedHashSet<>();
        for (ScpCode code : ordered) {
            String text = statements.get(code.code()).description().strip();
            if (!text.isEmpty()) {
                sentences.add(Character.toUpperCase(text.charAt(0)) + text.substring(1));
            }
        }
        return sentences.isEmpty() ? "" : String.join(". ", sentences) + ".";
    }

    private static int rank(ScpStatement statement) {
        if (statement.rhythm()) {
            return 0;
        }
        return statement.diagnostic() ? 1 : 2;
    }

    static List<ScpCode> scpCodes(String text, String file, long line) {
        String trimmed = text.strip();
        String field = "line " + line + ": scp_codes";
        if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) {
            throw new EcgFormatException(file, field, "expected a {'CODE': likelihood, ...} dictionary, got '"
                    + text + "'");
        }
        String body = trimmed.substring(1, trimmed.length() - 1);
        List<ScpCode> codes = new ArrayList<>();
        if (body.isBlank()) {
            return codes;
        }
        for (String item : body.split(",")) {
            Matcher m = SCP_ENTRY.matcher(item);
            if (!m.matches()) {
                throw new EcgFormatException(file, field, "cannot read entry '" + item.strip() + "'");
            }
            codes.add(new ScpCode(m.group(1), Double.parseDouble(m.group(2))));
        }
        return codes;
    }

    private static List<CSVRecord> rows(Path file) {
        return CsvTables.read(file);
    }

    private static String column(CSVRecord row, String name, Path file) {
        if (!row.isMapped(name)) {
            throw new EcgFormatException(file.toString(), "header", "column '" + name + "' is missing");
        }
        if (!row.isSet(name)) {
            throw new EcgFormatException(file.toString(), "line " + row.getRecordNumber() + ": " + name,
                    "row has too few columns");
        }
        return row.get(name);
    }

    private static double number(CSVRecord row, String name, Path file) {
        String value = column(row, name, file).strip();
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new EcgFormatException(file.toString(), "line " + row.getRecordNumber() + ": " + name,
                    "not a number: '" + value + "'", e);
        }
    }

    private static Optional<Integer> optionalInt(CSVRecord row, String name, Path file) {
        return column(row, name, file).isBlank() ? Optional.empty()
                : Optional.of((int) Math.round(number(row, name, file)));
    }

    private static boolean flag(CSVRecord row, String name, Path file) {
        return !column(row, name, file).isBlank() && number(row, name, file) != 0;
    }

    private static Optional<String> optional(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
