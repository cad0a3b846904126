package org.tamer.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.routes.adapters.challenge.ChallengeLayoutWriter;
import org.tamer.routes.adapters.mat.MatFileWriter;
import org.tamer.routes.adapters.ptbxl.PtbXlDatabase;
import org.tamer.routes.adapters.ptbxl.PtbXlEntry;
import org.tamer.routes.adapters.ptbxl.ScpCode;
import org.tamer.runtime.testdata.SharedData;

/**
 * The documented sequence of docs/training.md ("Evaluating on an external labelled archive"), run through the CLI:
 * a folder of Challenge-layout records without reports (real PTB-XL records written in that layout, their
 * statements as the SNOMED CT codes the Challenge 2020 data use for them) becomes a labelled evaluation dataset,
 * and {@code evaluate} prints the zero-shot macro AUC with its interval; the same for a CPSC2018-layout folder with
 * the MERL options. The expected classes come from this test's own table, not from the mapping under test.
 */
class ExternalArchiveEvaluationIT {

    /** A PTB-XL statement, the code the Challenge 2020 data give it, and its PTB-XL superclass (or none). */
    private record Coding(String snomed, String superclass) {
    }

    private static final Map<String, Coding> CHALLENGE_CODES = Map.ofEntries(
            Map.entry("NORM", new Coding("164854000", "NORM")),
            Map.entry("IMI", new Coding("164865005", "MI")),
            Map.entry("ASMI", new Coding("164865005", "MI")),
            Map.entry("ILMI", new Coding("164865005", "MI")),
            Map.entry("AMI", new Coding("54329005", "MI")),
            Map.entry("LVH", new Coding("164873001", "HYP")),
            Map.entry("LAO/LAE", new Coding("67741000119109", "HYP")),
            Map.entry("IRBBB", new Coding("713426002", "CD")),
            Map.entry("CLBBB", new Coding("164909002", "CD")),
            Map.entry("CRBBB", new Coding("713427006", "CD")),
            Map.entry("1AVB", new Coding("270492004", "CD")),
            Map.entry("LAFB", new Coding("445118002", "CD")),
            Map.entry("IVCD", new Coding("698252002", "CD")),
            Map.entry("ISC_", new Coding("164861001", "STTC")),
            Map.entry("SR", new Coding("426783006", "")),
            Map.entry("AFIB", new Coding("164889003", "")));

    /** PTB-XL statements as CPSC2018 label numbers (REFERENCE.csv). */
    private static final Map<String, Integer> CPSC_NUMBERS = Map.of("NORM", 1, "AFIB", 2, "1AVB", 3, "CLBBB", 4,
            "CRBBB", 5, "PAC", 6, "PVC", 7, "STD_", 8, "STE_", 9);
    private static final List<String> CPSC_CLASSES = List.of("NORM", "AFIB", "1AVB", "CLBBB", "CRBBB", "PAC", "VPC",
            "STD", "STE");
    private static final Pattern MACRO = Pattern.compile("macro AUC ([0-9.]+) \\(95% ([0-9.]+)-([0-9.]+)\\)");
    private static final int RECORDS = 120;

    @Test
    void challengeRecordsWithoutReportsBecomeALabelledEvaluationSetAndAreScored(@TempDir Path work)
            throws IOException {
        PtbXlDatabase database = PtbXlDatabase.load(SharedData.ptbXl());
        Path challenge = Files.createDirectories(work.resolve("challenge"));
        Map<String, Integer> expected = new TreeMap<>();
        int labelled = 0;
        for (PtbXlEntry entry : database.entries().subList(0, RECORDS)) {
            List<String> dx = new ArrayList<>();
            Set<String> classes = new LinkedHashSet<>();
            for (ScpCode code : entry.scpCodes()) {
                Coding coding = CHALLENGE_CODES.get(code.code());
                if (coding != null) {
                    dx.add(coding.snomed());
                    if (!coding.superclass().isEmpty()) {
                        classes.add(coding.superclass());
                    }
                }
            }
            classes.forEach(c -> expected.merge(c, 1, Integer::sum));
            labelled += classes.isEmpty() ? 0 : 1;
            ChallengeLayoutWriter.write(challenge, String.format("HR%05d", entry.ecgId()), entry.ecgId(),
                    "05-May-2020 14:50:55", List.of("Age: " + entry.age().map(String::valueOf).orElse("NaN"),
                            "Sex: " + (entry.sex().orElse(0) == 0 ? "Male" : "Female"),
                            "Dx: " + String.join(",", dx), "Rx: Unknown", "Hx: Unknown", "Sx: Unknown"));
        }
        Path dataset = work.resolve("challenge-dataset");
        String built = cli("build-dataset", "--source", "wfdb", "--input", challenge.toString(), "--output",
                dataset.toString(), "--label-classes", "ptbxl-super", "--split-all", "TEST");
        assertTrue(built.contains("| CD class | SNOMED CT |") || built.contains("| ptbxl-super class | SNOMED CT |"),
                built);
        JsonObject counts = manifest(dataset).getAsJsonObject("counts");
        assertEquals(RECORDS, counts.getAsJsonObject("written").get("test").getAsInt(), counts.toString());
        assertEquals(RECORDS, counts.getAsJsonObject("withoutReport").get("test").getAsInt());
        assertEquals(labelled, counts.get("labelled").getAsInt());
        assertEquals(expected, positives(counts.getAsJsonObject("positives")));

        Path evaluation = work.resolve("challenge-evaluation");
        String printed = cli("evaluate", "--bundle", bundle(), "--dataset", dataset.toString(), "--prompts",
                "ptbxl-super", "--min-positives", "3", "--bootstrap", "200", "--output", evaluation.toString());
        assertMacroWithInterval(printed);
        JsonObject report = JsonParser.parseString(Files.readString(evaluation.resolve("evaluation.json")))
                .getAsJsonObject();
        for (Map.Entry<String, Integer> c : expected.entrySet()) {
            assertEquals(c.getValue().intValue(), report.getAsJsonObject("classes").getAsJsonObject(c.getKey())
                    .get("positives").getAsInt(), c.getKey());
            assertEquals(c.getValue() >= 3, report.getAsJsonObject("classes").getAsJsonObject(c.getKey())
                    .get("included").getAsBoolean(), c.getKey());
        }
        assertEquals(3, report.get("minPositives").getAsInt());
    }

    @Test
    void aCpsc2018FolderIsEvaluatedWithTheMerlOptions(@TempDir Path work) throws IOException {
        PtbXlDatabase database = PtbXlDatabase.load(SharedData.ptbXl());
        Path cpsc = Files.createDirectories(work.resolve("cpsc2018"));
        StringBuilder reference = new StringBuilder("Recording,First_label,Second_label,Third_label\n");
        Map<String, Integer> expected = new TreeMap<>();
        for (PtbXlEntry entry : database.entries().subList(0, RECORDS)) {
            String name = String.format("A%04d", entry.ecgId());
            short[][] adc = ChallengeLayoutWriter.adc(entry.ecgId());
            double[][] mv = new double[12][adc[0].length];
            for (int lead = 0; lead < 12; lead++) {
                for (int t = 0; t < adc[0].length; t++) {
                    mv[lead][t] = adc[lead][t] / 1000.0;
                }
            }
            Files.write(cpsc.resolve(name + ".mat"), MatFileWriter.level5Struct("ECG", mv,
                    entry.sex().orElse(0) == 0 ? "Male" : "Female", entry.age().orElse(60), true,
                    ByteOrder.LITTLE_ENDIAN));
            List<Integer> numbers = entry.scpCodes().stream().map(c -> CPSC_NUMBERS.get(c.code()))
                    .filter(n -> n != null).distinct().limit(3).toList();
            numbers.forEach(n -> expected.merge(CPSC_CLASSES.get(n - 1), 1, Integer::sum));
            List<String> cells = new ArrayList<>(numbers.stream().map(String::valueOf).toList());
            while (cells.size() < 3) {
                cells.add("");
            }
            reference.append(name).append(',').append(String.join(",", cells)).append('\n');
        }
        Files.writeString(cpsc.resolve("REFERENCE.csv"), reference.toString(), StandardCharsets.US_ASCII);
        Path dataset = work.resolve("cpsc-dataset");
        cli("build-dataset", "--source", "cpsc2018", "--input", cpsc.toString(), "--output", dataset.toString(),
                "--label-classes", "cpsc2018", "--split-all", "TEST");
        JsonObject counts = manifest(dataset).getAsJsonObject("counts");
        assertEquals(RECORDS, counts.getAsJsonObject("withoutReport").get("test").getAsInt());
        assertEquals(expected, positives(counts.getAsJsonObject("positives")));
        String printed = cli("evaluate", "--bundle", bundle(), "--dataset", dataset.toString(), "--prompts",
                "cpsc2018", "--swap-leads-4-5", "--crop", "2500", "--min-positives", "2", "--bootstrap", "200",
                "--output", work.resolve("cpsc-evaluation").toString());
        assertMacroWithInterval(printed);
    }

    private static void assertMacroWithInterval(String printed) {
        Matcher m = MACRO.matcher(printed);
        assertTrue(m.find(), printed);
        double macro = Double.parseDouble(m.group(1));
        double lower = Double.parseDouble(m.group(2));
        double upper = Double.parseDouble(m.group(3));
        assertTrue(0 < lower && lower <= macro && macro <= upper && upper < 1, printed);
    }

    private static Map<String, Integer> positives(JsonObject json) {
        Map<String, Integer> positives = new TreeMap<>();
        json.entrySet().forEach(e -> positives.put(e.getKey(), e.getValue().getAsInt()));
        return positives;
    }

    private static JsonObject manifest(Path dataset) throws IOException {
        return JsonParser.parseString(Files.readString(dataset.resolve("manifest.json"))).getAsJsonObject();
    }

    private static String bundle() {
        return Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize()
                .resolve("models/tamer-ptbxl-default").toString();
    }

    /** Runs the CLI, returns what it printed, and asserts it succeeded. */
    private static String cli(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = TamerCli.run(args);
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertEquals(0, code, printed);
        return printed;
    }
}
