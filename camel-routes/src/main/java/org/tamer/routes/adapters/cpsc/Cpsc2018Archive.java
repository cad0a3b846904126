package org.tamer.routes.adapters.cpsc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.tamer.routes.adapters.AdapterFiles;
import org.tamer.routes.adapters.ArchiveLabels;
import org.tamer.routes.adapters.CsvTables;
import org.tamer.routes.adapters.EcgArchive;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.mat.MatFileReader;
import org.tamer.routes.adapters.mat.MatMatrix;
import org.tamer.routes.adapters.mat.MatStruct;
import org.tamer.routes.adapters.mat.MatText;
import org.tamer.routes.adapters.mat.MatValue;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;

/**
 * A folder in the original CPSC2018 layout (the China Physiological Signal Challenge 2018 training set): one
 * MAT-file per record holding the struct {@code ECG} with {@code data} (12 leads × samples in mV, 500 Hz, leads I,
 * II, III, aVR, aVL, aVF, V1–V6, 6–60 s), {@code sex} and {@code age}; and {@code REFERENCE.csv} with the record's
 * first, second and third label (1 Normal, 2 AF, 3 I-AVB, 4 LBBB, 5 RBBB, 6 PAC, 7 PVC, 8 STD, 9 STE), given here
 * as the classes of the {@value #CLASS_SYSTEM} code system (NORM, AFIB, 1AVB, CLBBB, CRBBB, PAC, VPC, STD, STE).
 * Keys are the MAT-files' paths relative to the folder without {@code .mat}, sorted.
 */
public final class Cpsc2018Archive implements EcgArchive {

    public static final String LAYOUT = "CPSC2018";
    public static final String FORMAT = "CPSC2018";
    public static final String REFERENCE = "REFERENCE.csv";
    public static final String CLASS_SYSTEM = "https://tamer-ecg.org/fhir/CodeSystem/cpsc2018-class";
    public static final double SAMPLING_RATE_HZ = 500.0;
    /** CPSC2018's label numbers 1–9 as class codes. */
    public static final List<String> CLASSES = List.of("NORM", "AFIB", "1AVB", "CLBBB", "CRBBB", "PAC", "VPC", "STD",
            "STE");

    private final Path root;
    private final List<String> keys;
    private final Map<String, List<String>> labels;
    private final MatFileReader mat;
    private final long maxFileBytes;

    /** A folder read with the default MAT limits, files up to 64 MiB. */
    public Cpsc2018Archive(Path root) {
        this(root, new MatFileReader(), 64L << 20);
    }

    public Cpsc2018Archive(Path root, MatFileReader mat, long maxFileBytes) {
        this.root = Objects.requireNonNull(root, "root");
        this.mat = Objects.requireNonNull(mat, "mat");
        this.maxFileBytes = maxFileBytes;
        if (!Files.isDirectory(root)) {
            throw new EcgFormatException(root.toString(), "folder", "not a directory");
        }
        try (Stream<Path> files = Files.walk(root)) {
            keys = files.filter(p -> p.getFileName().toString().endsWith(".mat"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .map(name -> name.substring(0, name.length() - ".mat".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        Path reference = root.resolve(REFERENCE);
        labels = Files.isRegularFile(reference) ? readReference(reference) : Map.of();
    }

    /** Whether a folder has this layout: a {@code REFERENCE.csv} beside MAT-files. */
    public static boolean isLayout(Path folder) {
        return Files.isRegularFile(folder.resolve(REFERENCE));
    }

    @Override
    public String layout() {
        return LAYOUT;
    }

    @Override
    public List<String> recordKeys() {
        return keys;
    }

    @Override
    public EcgRecord read(String key) {
        return readRecord(key).ecg();
    }

    /** A record with the struct's demographic fields. */
    public Cpsc2018Record readRecord(String key) {
        Path file = root.resolve(key + ".mat");
        String source = file.toString();
        checkFile(file, source);
        Map<String, MatValue> variables = mat.readVariables(AdapterFiles.readBytes(file, source), source);
        if (!(variables.get("ECG") instanceof MatStruct ecg)) {
            throw new EcgFormatException(source, "variable 'ECG'", "not found or not a struct; the file holds "
                    + variables.keySet());
        }
        if (!(ecg.field("data").orElse(null) instanceof MatMatrix data)) {
            throw new EcgFormatException(source, "ECG.data", "missing or not a numeric matrix; the struct holds "
                    + ecg.fields().keySet());
        }
        int leads = StandardLead.CANONICAL_ORDER.size();
        boolean leadsInRows = data.rows() == leads;
        if (!leadsInRows && data.columns() != leads) {
            throw new EcgFormatException(source, "ECG.data", "is " + data.rows() + " x " + data.columns()
                    + "; CPSC2018 records hold 12 leads");
        }
        int samples = leadsInRows ? data.columns() : data.rows();
        float[][] millivolts = new float[leads][samples];
        for (int lead = 0; lead < leads; lead++) {
            for (int t = 0; t < samples; t++) {
                millivolts[lead][t] = (float) (leadsInRows ? data.get(lead, t) : data.get(t, lead));
            }
        }
        EcgSignal signal;
        try {
            signal = EcgSignal.adopt(SAMPLING_RATE_HZ, StandardLead.CANONICAL_ORDER, millivolts);
        } catch (IllegalArgumentException e) {
            throw new EcgFormatException(source, "ECG.data", e.getMessage(), e);
        }
        String id = key.substring(key.lastIndexOf('/') + 1);
        EcgRecord record = new EcgRecord(id, Optional.empty(), Optional.empty(), Optional.empty(), signal,
                Optional.empty(), SourceMetadata.of(FORMAT, source));
        Optional<String> sex = ecg.field("sex").filter(MatText.class::isInstance).map(v -> ((MatText) v).text()
                .strip());
        Optional<Double> age = ecg.field("age").filter(MatMatrix.class::isInstance).map(MatMatrix.class::cast)
                .filter(m -> m.rows() == 1 && m.columns() == 1).map(m -> m.get(0, 0)).filter(a -> !Double.isNaN(a));
        return new Cpsc2018Record(record, sex, age);
    }

    /** The record's classes from {@code REFERENCE.csv} (none when the file or the row is missing). */
    @Override
    public ArchiveLabels labels(String key) {
        String id = key.substring(key.lastIndexOf('/') + 1);
        return new ArchiveLabels(CLASS_SYSTEM, labels.getOrDefault(id, List.of()));
    }

    private void checkFile(Path file, String source) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new EcgFormatException(source, "file", "cannot read: " + e.getMessage(), e);
        }
        if (!attributes.isRegularFile()) {
            throw new EcgFormatException(source, "file", "not a regular file; nothing was read");
        }
        if (attributes.size() > maxFileBytes) {
            throw new EcgFormatException(source, "file", "is " + attributes.size() + " bytes, over the limit of "
                    + maxFileBytes);
        }
    }

    private static Map<String, List<String>> readReference(Path file) {
        Map<String, List<String>> byRecord = new HashMap<>();
        for (CSVRecord row : CsvTables.read(file)) {
            String record = row.get(0).strip();
            List<String> classes = new ArrayList<>();
            for (int column = 1; column < row.size(); column++) {
                String value = row.get(column).strip();
                if (value.isEmpty()) {
                    continue;
                }
                int number;
                try {
                    number = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new EcgFormatException(file.toString(), "row " + record + " column " + (column + 1),
                            "label '" + value + "' is not a number 1-9", e);
                }
                if (number < 1 || number > CLASSES.size()) {
                    throw new EcgFormatException(file.toString(), "row " + record + " column " + (column + 1),
                            "label " + number + " is not one of CPSC2018's classes 1-9");
                }
                String code = CLASSES.get(number - 1);
                if (!classes.contains(code)) {
                    classes.add(code);
                }
            }
            byRecord.put(record, List.copyOf(classes));
        }
        return Map.copyOf(byRecord);
    }
}
