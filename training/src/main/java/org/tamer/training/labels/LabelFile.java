package org.tamer.training.labels;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.csv.CSVRecord;
import org.tamer.routes.adapters.CsvTables;
import org.tamer.routes.adapters.EcgFormatException;

/**
 * Class labels of records from a CSV file with a header row. The record column is the first of {@code record},
 * {@code recording}, {@code filename}, {@code file}, {@code name} (any case) or else the first column. Two layouts:
 * <ul>
 *   <li>one-hot: class columns holding 0/1 (as MERL's label tables), a record is positive for each column with 1;
 *       with a known class set only those columns count, other 0/1 columns (e.g. {@code sex}) are ignored;</li>
 *   <li>lists: every other non-empty cell is a class, several in one cell separated by {@code ;}.</li>
 * </ul>
 * A record is found by its key in the archive, the key's file name, or the record's id; a record column holding
 * paths ({@code /chapman/WFDBRecords/18/186/JS18048.mat}) also matches by file name without extension.
 */
public final class LabelFile {

    private static final List<String> RECORD_COLUMNS = List.of("record", "recording", "filename", "file", "name");

    private final Path file;
    private final Map<String, List<String>> byRecord;

    private LabelFile(Path file, Map<String, List<String>> byRecord) {
        this.file = file;
        this.byRecord = byRecord;
    }

    /**
     * @param classes the classes that count (a prompt dictionary's), or empty to take every class column
     */
    public static LabelFile read(Path file, Optional<Set<String>> classes) {
        Objects.requireNonNull(classes, "classes");
        List<CSVRecord> rows = CsvTables.read(file);
        if (rows.isEmpty()) {
            throw new EcgFormatException(file.toString(), "file", "has no rows");
        }
        List<String> header = rows.get(0).getParser().getHeaderNames();
        int key = 0;
        for (int i = 0; i < header.size(); i++) {
            if (RECORD_COLUMNS.contains(header.get(i).strip().toLowerCase(Locale.ROOT))) {
                key = i;
                break;
            }
        }
        List<Integer> oneHot = new ArrayList<>();
        for (int column = 0; column < header.size(); column++) {
            String name = headerName(header, column);
            if (column == key || classes.map(c -> !c.contains(name)).orElse(false)) {
                continue;
            }
            final int c = column;
            if (rows.stream().allMatch(r -> c < r.size() && r.get(c).strip().matches("0|1|0\\.0|1\\.0"))) {
                oneHot.add(column);
            }
        }
        Map<String, List<String>> byRecord = new HashMap<>();
        Map<String, List<String>> byBaseName = new HashMap<>();
        for (CSVRecord row : rows) {
            String record = row.get(key).strip();
            Set<String> labels = new LinkedHashSet<>();
            if (!oneHot.isEmpty()) {
                for (int column : oneHot) {
                    if (row.get(column).strip().startsWith("1")) {
                        labels.add(headerName(header, column));
                    }
                }
            } else {
                for (int column = 0; column < row.size(); column++) {
                    if (column == key) {
                        continue;
                    }
                    for (String value : row.get(column).split(";")) {
                        String label = value.strip();
                        if (!label.isEmpty() && classes.map(c -> c.contains(label)).orElse(true)) {
                            labels.add(label);
                        }
                    }
                }
            }
            if (byRecord.put(record, List.copyOf(labels)) != null) {
                throw new EcgFormatException(file.toString(), "record '" + record + "'", "appears twice");
            }
            String base = baseName(record);
            if (!base.equals(record)) {
                byBaseName.merge(base, List.copyOf(labels), (a, b) -> AMBIGUOUS);
            }
        }
        byBaseName.forEach((base, labels) -> {
            if (labels != AMBIGUOUS) {
                byRecord.putIfAbsent(base, labels);
            }
        });
        return new LabelFile(file, Map.copyOf(byRecord));
    }

    /** A marker for a base name that two rows share (e.g. the same file name in two folders): not used. */
    private static final List<String> AMBIGUOUS = List.of("\0ambiguous");

    /** A path's file name without {@code .mat}, {@code .hea} or {@code .dat}: {@code /x/JS18048.mat} → JS18048. */
    private static String baseName(String record) {
        String name = record.substring(Math.max(record.lastIndexOf('/'), record.lastIndexOf('\\')) + 1);
        return name.replaceFirst("\\.(mat|hea|dat)$", "");
    }

    private static String headerName(List<String> header, int column) {
        return header.get(column).strip();
    }

    /** The labels of a record, when the file has it. */
    public Optional<List<String>> labels(String key, String recordId) {
        String fileName = key.substring(key.lastIndexOf('/') + 1);
        return Optional.ofNullable(byRecord.get(key)).or(() -> Optional.ofNullable(byRecord.get(fileName)))
                .or(() -> Optional.ofNullable(byRecord.get(recordId)));
    }

    public int size() {
        return byRecord.size();
    }

    public Path file() {
        return file;
    }
}
