package org.tamer.training.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tamer.routes.adapters.ptbxl.PtbXlDatabase;
import org.tamer.routes.adapters.ptbxl.PtbXlEntry;

/**
 * Writes an archive in the MIMIC-IV-ECG layout ({@code record_list.csv}, {@code machine_measurements.csv},
 * {@code files/pNNNN/pNNNNNNNN/sNNNNNNNN/NNNNNNNN.hea|.dat}) from the real PTB-XL records, for measuring the
 * training module at archive scale. <b>A scale simulation, not training data:</b> every record is one of the
 * PTB-XL recordings copied unchanged under a new study id, copy {@code c} of patient {@code p} under a new subject
 * id (so the patient-wise split stays patient-wise), its report the record's statements written as machine
 * statement lines. A model trained on it has seen each real recording many times and must never be shipped.
 *
 * <p>{@code MimicScaleArchive --ptbxl <PTB-XL root> --output <folder> --records <n>}
 */
public final class MimicScaleArchive {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private MimicScaleArchive() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Path ptbXl = Path.of(required(options, "--ptbxl"));
        Path output = Path.of(required(options, "--output"));
        int records = Integer.parseInt(required(options, "--records"));
        long started = System.nanoTime();
        write(ptbXl, output, records);
        System.out.printf("wrote %d records in the MIMIC-IV-ECG layout to %s in %.0f s%n", records, output,
                (System.nanoTime() - started) / 1e9);
    }

    /** Writes {@code records} studies, cycling through the PTB-XL records whose 500 Hz files are present. */
    public static void write(Path ptbXl, Path output, int records) throws IOException {
        List<PtbXlEntry> entries = new ArrayList<>();
        for (PtbXlEntry e : PtbXlDatabase.load(ptbXl).entries()) {
            if (Files.exists(ptbXl.resolve(e.highRateFile() + ".hea")) && !e.englishReport().isBlank()) {
                entries.add(e);
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(ptbXl + " has no 500 Hz records with statements");
        }
        Files.createDirectories(output);
        Map<Long, Integer> patientIndex = new TreeMap<>();
        entries.forEach(e -> patientIndex.putIfAbsent(e.patientId(), patientIndex.size()));
        StringBuilder header = new StringBuilder("subject_id,study_id,cart_id,ecg_time");
        for (int i = 0; i < 18; i++) {
            header.append(",report_").append(i);
        }
        LocalDateTime base = LocalDateTime.of(2180, 1, 1, 8, 0);
        try (Writer list = Files.newBufferedWriter(output.resolve("record_list.csv"), StandardCharsets.UTF_8);
             Writer measurements = Files.newBufferedWriter(output.resolve("machine_measurements.csv"),
                     StandardCharsets.UTF_8)) {
            list.write("subject_id,study_id,file_name,ecg_time,path\n");
            measurements.write(header + "\n");
            for (int n = 0; n < records; n++) {
                PtbXlEntry entry = entries.get(n % entries.size());
                int copy = n / entries.size();
                long subject = 10_000_000L + (long) copy * patientIndex.size() + patientIndex.get(entry.patientId());
                long study = 40_000_000L + n;
                String folder = "files/p" + Long.toString(subject).substring(0, 4) + "/p" + subject + "/s" + study;
                Path dir = Files.createDirectories(output.resolve(folder));
                Path source = ptbXl.resolve(entry.highRateFile() + ".hea");
                String stem = source.getFileName().toString().replace(".hea", "");
                List<String> lines = new ArrayList<>();
                for (String line : Files.readAllLines(source, StandardCharsets.US_ASCII)) {
                    lines.add(line.replace(stem, Long.toString(study)));
                }
                Files.write(dir.resolve(study + ".hea"), lines, StandardCharsets.US_ASCII);
                Path dat = dir.resolve(study + ".dat");
                Files.deleteIfExists(dat);
                Files.copy(source.resolveSibling(stem + ".dat"), dat);
                String time = base.plusMinutes(37L * n).format(TIME);
                list.write(subject + "," + study + "," + study + "," + time + "," + folder + "/" + study + "\n");
                String[] statements = entry.englishReport().split("\\. ");
                StringBuilder row = new StringBuilder(subject + "," + study + ",cart-" + (n % 17) + "," + time);
                for (int i = 0; i < 18; i++) {
                    row.append(',');
                    if (i < statements.length) {
                        row.append('"').append(statements[i].replace("\"", "\"\"")).append('"');
                    }
                }
                measurements.write(row + "\n");
            }
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name + " (usage: --ptbxl DIR --output DIR --records N)");
        }
        return value;
    }
}
