package org.tamer.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.bundle.BundleManifest;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.bundle.TextEncoderReference;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.inference.ClassEmbeddings;
import org.tamer.runtime.inference.PromptDictionary;
import org.tamer.runtime.network.TamerConfig;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.testdata.SharedData;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.dataset.DatasetBuilder;
import org.tamer.training.dataset.DatasetBuilderTestAccess;
import org.tamer.training.dataset.ReportCleaner;
import org.tamer.training.testing.CliRun;

/**
 * {@code evaluate --label-map} on the first 100 PTB-XL records (folds 9 and 10): a map that renames NORM to NORMAL
 * and merges the four sinus rhythm statements into SINUS gives those classes exactly the positives counted here
 * from ptbxl_database.csv's scp_codes; a malformed map is refused naming the file, the line and the reason.
 */
class EvaluateLabelMapTest {

    private static final int RECORDS = 100;
    private static final Set<String> SINUS = Set.of("SR", "SBRAD", "STACH", "SARRH");
    private static Path work;

    @BeforeAll
    static void datasetAndBundle(@TempDir Path dir) {
        work = dir;
        ComputeEngine engine = ComputeEngine.load();
        try (TextEncoder encoder = TextEncoder.embeddedDefault(engine.device());
             NDManager manager = NDManager.newBaseManager(engine.device())) {
            new DatasetBuilder(new Preprocessor(PreprocessingConfig.paperDefaults()), encoder, new ReportCleaner(),
                    "salt", 256, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                    .build(DatasetBuilderTestAccess.firstRecords(RECORDS), dir.resolve("dataset"));
            PromptDictionary prompts = PromptDictionary.of(Map.of("NORMAL", List.of("normal ecg"),
                    "SINUS", List.of("sinus rhythm")));
            TamerNetwork network = new TamerNetwork(TamerConfig.compact(384));
            network.initialize(manager);
            ModelBundle.write(dir.resolve("bundle"), new BundleManifest(ModelBundle.FORMAT_VERSION, "tamer-test",
                    "0.0.1", Instant.now(), TamerConfig.compact(384), PreprocessingConfig.paperDefaults(),
                    StftConfig.paperDefaults(), new TextEncoderReference(encoder.source().reference(),
                    encoder.weightsSha256(), encoder.pooling(), encoder.maxTokens(), encoder.hiddenSize()),
                    prompts, ClassEmbeddings.compute(network, encoder, prompts, manager), Map.of(), "x"), network);
        }
    }

    @Test
    void theMapRenamesAndMergesClassesAsThePtbXlTableSays() throws IOException {
        Path map = work.resolve("map.json");
        Files.writeString(map, "{\n  \"NORMAL\": [\"NORM\"],\n  \"SINUS\": [\"SR\", \"SBRAD\", \"STACH\", \"SARRH\"]\n}\n");
        Path output = work.resolve("mapped");
        CliRun outcome = CliRun.of("evaluate", "--bundle", work.resolve("bundle").toString(), "--dataset",
                work.resolve("dataset").toString(), "--split", "VALIDATION,TEST", "--label-map", map.toString(),
                "--bootstrap", "10", "--output", output.toString());
        assertEquals(0, outcome.code(), outcome.output());
        JsonObject report = JsonParser.parseString(Files.readString(output.resolve("evaluation.json")))
                .getAsJsonObject();

        int examples = 0;
        int normal = 0;
        int sinus = 0;
        Pattern code = Pattern.compile("'([A-Z0-9]+)'");
        for (String[] row : heldOutRows()) {
            examples++;
            Matcher m = code.matcher(row[1]);
            boolean isNormal = false;
            boolean isSinus = false;
            while (m.find()) {
                isNormal |= m.group(1).equals("NORM");
                isSinus |= SINUS.contains(m.group(1));
            }
            normal += isNormal ? 1 : 0;
            sinus += isSinus ? 1 : 0;
        }
        assertTrue(normal > 0 && sinus > normal, "the oracle itself: " + normal + " normal, " + sinus + " sinus");
        assertEquals(examples, report.get("examples").getAsInt());
        JsonObject classes = report.getAsJsonObject("classes");
        assertEquals(Set.of("NORMAL", "SINUS"), classes.keySet());
        assertEquals(normal, classes.getAsJsonObject("NORMAL").get("positives").getAsInt());
        assertEquals(sinus, classes.getAsJsonObject("SINUS").get("positives").getAsInt());

        Path unmapped = work.resolve("unmapped");
        assertEquals(0, CliRun.of("evaluate", "--bundle", work.resolve("bundle").toString(), "--dataset",
                work.resolve("dataset").toString(), "--split", "VALIDATION,TEST", "--bootstrap", "10", "--output",
                unmapped.toString()).code());
        JsonObject without = JsonParser.parseString(Files.readString(unmapped.resolve("evaluation.json")))
                .getAsJsonObject().getAsJsonObject("classes");
        assertEquals(0, without.getAsJsonObject("SINUS").get("positives").getAsInt(), "no record is labelled SINUS");
    }

    @Test
    void aMalformedMapIsRefusedNamingFileLineAndReason() throws IOException {
        assertRefused("{\n  \"NORMAL\": [\"NORM\"],\n  \"SINUS\": \"SR\"\n}\n", 3, "expected a list of source labels");
        assertRefused("{\n  \"NORMAL\": [\"NORM\"],\n  \"SINUS\": []\n}\n", 3, "lists no source label");
        assertRefused("{\n  \"NORMAL\": [\"NORM\"],\n\n  \"MI\": [\"IMI\"]\n}\n", 4, "not one of the evaluated");
        assertRefused("{\n  \"NORMAL\": [\"NORM\"],\n  \"NORMAL\": [\"SR\"]\n}\n", 3, "mapped twice");
        assertRefused("{\n  \"NORMAL\": [\"NORM\"]\n  \"SINUS\": [\"SR\"]\n}\n", 3, "not valid JSON");
        assertRefused("{\n  \"NORMAL\": [\"NORM\", 7]\n}\n", 2, "must be a string");
    }

    private static void assertRefused(String json, int line, String reason) throws IOException {
        Path map = Files.createTempFile(work, "bad-map", ".json");
        Files.writeString(map, json);
        CliRun outcome = CliRun.of("evaluate", "--bundle", work.resolve("bundle").toString(), "--dataset",
                work.resolve("dataset").toString(), "--label-map", map.toString(), "--output",
                work.resolve("refused").toString());
        assertEquals(1, outcome.code(), outcome.output());
        assertTrue(outcome.output().contains(map + ", line " + line + ": "), outcome.output());
        assertTrue(outcome.output().contains(reason), outcome.output());
        assertFalse(Files.exists(work.resolve("refused")), "refused before anything is evaluated");
    }

    /**
     * ecg_id and scp_codes of the held-out (strat_fold 9 or 10) rows among the first records whose report has four
     * words or more (build-dataset drops shorter reports, docs/training.md).
     */
    private static List<String[]> heldOutRows() throws IOException {
        List<String> lines = Files.readAllLines(SharedData.ptbXl().resolve("ptbxl_database.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int fold = header.indexOf("strat_fold");
        java.util.ArrayList<String[]> rows = new java.util.ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = csv(line);
            if (Integer.parseInt(fields.get(0)) <= RECORDS && Set.of("9", "10").contains(fields.get(fold))
                    && fields.get(header.indexOf("report")).strip().split("\\s+").length >= 4) {
                rows.add(new String[] {fields.get(0), fields.get(header.indexOf("scp_codes"))});
            }
        }
        return rows;
    }

    private static List<String> csv(String line) {
        java.util.ArrayList<String> fields = new java.util.ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
