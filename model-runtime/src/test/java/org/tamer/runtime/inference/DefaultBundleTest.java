package org.tamer.runtime.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.network.TamerConfig;
import org.tamer.runtime.preprocess.PreprocessedEcg;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.testdata.PtbXlRaw;
import org.tamer.runtime.testdata.SharedData;

/**
 * The committed default bundle (models/tamer-ptbxl-default) opens, matches its hash and diagnoses real ECGs, and
 * carries the operating points its model card states, chosen on the calibration split.
 */
class DefaultBundleTest {

    static final Path DEFAULT_BUNDLE = Path.of("..", "models", "tamer-ptbxl-default");
    /** A row of the card's operating-point table: {@code | NORM | 0.3968 |}. */
    private static final Pattern CARD_ROW = Pattern.compile("(?m)^\\| ([A-Z]+) \\| (0\\.\\d{4}) \\|$");

    @Test
    void loadsAndScoresRealRecords() {
        assertTrue(Files.isDirectory(DEFAULT_BUNDLE), "the default bundle is missing at "
                + DEFAULT_BUNDLE.toAbsolutePath().normalize());
        ModelBundle bundle = ModelBundle.open(DEFAULT_BUNDLE);
        assertEquals(TamerConfig.paper(384), bundle.manifest().network());
        assertEquals(List.of("NORM", "MI", "STTC", "CD", "HYP"), bundle.manifest().prompts().classes());
        Preprocessor preprocessor = new Preprocessor(PreprocessingConfig.paperDefaults());
        try (ZeroShotClassifier classifier = ZeroShotClassifier.load(bundle, ComputeEngine.load())) {
            List<Diagnosis> results = classifier.classify(List.of(
                    preprocessor.apply(record(1)), preprocessor.apply(record(8))));
            assertEquals(2, results.size());
            for (Diagnosis d : results) {
                assertEquals(5, d.scores().size());
                for (ClassScore s : d.scores()) {
                    assertTrue(s.score() >= -1 && s.score() <= 1, s.toString());
                    Calibration calibration = bundle.manifest().calibrationOf(s.code());
                    assertFalse(calibration.isIdentity(), "the default bundle is calibrated for " + s.code());
                    assertEquals(calibration.probability(s.score()), s.probability(), 1e-9, s.toString());
                }
            }
        }
    }

    @Test
    void hasTheOperatingPointsOfItsCardChosenOnTheCalibrationSplit() throws IOException {
        ModelBundle bundle = ModelBundle.open(DEFAULT_BUNDLE);
        assertEquals(ModelBundle.FORMAT_VERSION, bundle.manifest().formatVersion());
        OperatingPoints points = bundle.manifest().operatingPoints();
        assertTrue(points.method().startsWith("Youden's J") && points.method().contains("VALIDATION, 77 ECGs"),
                points.method());
        Map<String, Double> card = new LinkedHashMap<>();
        Matcher row = CARD_ROW.matcher(Files.readString(DEFAULT_BUNDLE.resolve("MODEL_CARD.md")));
        while (row.find()) {
            card.put(row.group(1), Double.parseDouble(row.group(2)));
        }
        assertEquals(bundle.manifest().prompts().classes(), List.copyOf(card.keySet()),
                "the card lists every class's operating point");
        for (String code : bundle.manifest().prompts().classes()) {
            double threshold = points.of(code).orElseThrow(() -> new AssertionError(code + " has no operating point"));
            assertEquals(card.get(code), threshold, 5e-5, code + ": bundle and card agree to the card's 4 places");
        }
    }

    /**
     * Independent oracle: the cardiologists' labels in PTB-XL's {@code ptbxl_database.csv} (scp_codes with
     * likelihood 100, mapped to superclasses through {@code scp_statements.csv}), on held-out records of folds
     * 9–10 among the shared records 1–500. Records labelled NORM only must on average score higher for the NORM
     * class than records labelled MI (and no NORM), and MI records higher for MI than NORM records. Relative, not
     * absolute figures, so a recalibrated bundle still passes while a model that ignores the ECG, swaps classes or
     * is randomly initialised is very unlikely to. A second load of the bundle gives identical scores.
     */
    @Test
    void labelledNormRecordsScoreHigherForNormThanMiRecordsAndTheOutputIsDeterministic() throws IOException {
        Map<String, String> superclass = new HashMap<>();
        List<String> statements = Files.readAllLines(SharedData.file("ptbxl/scp_statements.csv"));
        List<String> header = csv(statements.get(0));
        int classColumn = header.indexOf("diagnostic_class");
        for (String line : statements.subList(1, statements.size())) {
            List<String> row = csv(line);
            if (row.size() > classColumn && !row.get(classColumn).isEmpty()) {
                superclass.put(row.get(0), row.get(classColumn));
            }
        }
        List<String> database = Files.readAllLines(SharedData.file("ptbxl/ptbxl_database.csv"));
        List<String> columns = csv(database.get(0));
        Pattern code = Pattern.compile("'([^']+)': ([0-9.]+)");
        List<Integer> norm = new ArrayList<>();
        List<Integer> mi = new ArrayList<>();
        for (String line : database.subList(1, database.size())) {
            List<String> row = csv(line);
            int id = Integer.parseInt(row.get(columns.indexOf("ecg_id")));
            int fold = Integer.parseInt(row.get(columns.indexOf("strat_fold")));
            if (id > 500 || fold < 9) {
                continue;
            }
            Set<String> classes = new HashSet<>();
            Matcher m = code.matcher(row.get(columns.indexOf("scp_codes")));
            while (m.find()) {
                if (Double.parseDouble(m.group(2)) >= 100 && superclass.containsKey(m.group(1))) {
                    classes.add(superclass.get(m.group(1)));
                }
            }
            if (classes.equals(Set.of("NORM")) && norm.size() < 12) {
                norm.add(id);
            } else if (classes.contains("MI") && !classes.contains("NORM") && mi.size() < 12) {
                mi.add(id);
            }
        }
        assertTrue(norm.size() >= 8 && mi.size() >= 8, "too few labelled records: NORM " + norm + ", MI " + mi);

        List<Integer> ids = new ArrayList<>(norm);
        ids.addAll(mi);
        Preprocessor preprocessor = new Preprocessor(PreprocessingConfig.paperDefaults());
        List<PreprocessedEcg> ecgs = ids.stream().map(id -> preprocessor.apply(record(id))).toList();
        ComputeEngine engine = ComputeEngine.load();
        List<Diagnosis> first;
        List<Diagnosis> second;
        try (ZeroShotClassifier classifier = ZeroShotClassifier.load(ModelBundle.open(DEFAULT_BUNDLE), engine)) {
            first = classifier.classify(ecgs);
        }
        try (ZeroShotClassifier classifier = ZeroShotClassifier.load(ModelBundle.open(DEFAULT_BUNDLE), engine)) {
            second = classifier.classify(ecgs);
        }
        for (int i = 0; i < ids.size(); i++) {
            for (int c = 0; c < 5; c++) {
                assertEquals(first.get(i).scores().get(c).score(), second.get(i).scores().get(c).score(), 1e-6,
                        "record " + ids.get(i) + " differs between two loads");
            }
        }
        double normOnNorm = mean(first.subList(0, norm.size()), "NORM");
        double normOnMi = mean(first.subList(norm.size(), ids.size()), "NORM");
        double miOnMi = mean(first.subList(norm.size(), ids.size()), "MI");
        double miOnNorm = mean(first.subList(0, norm.size()), "MI");
        assertTrue(normOnNorm > normOnMi, "NORM score on NORM records " + normOnNorm + " vs on MI records "
                + normOnMi + " (records " + norm + " / " + mi + ")");
        assertTrue(miOnMi > miOnNorm, "MI score on MI records " + miOnMi + " vs on NORM records " + miOnNorm);
    }

    private static double mean(List<Diagnosis> diagnoses, String code) {
        return diagnoses.stream().mapToDouble(d -> d.scores().stream().filter(s -> s.code().equals(code))
                .findFirst().orElseThrow().score()).average().orElseThrow();
    }

    /** One CSV line split on commas outside double quotes (PTB-XL quotes its scp_codes dictionaries). */
    private static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static EcgRecord record(int id) {
        return EcgRecord.of("ptbxl-" + id, EcgSignal.of(500, StandardLead.CANONICAL_ORDER,
                PtbXlRaw.millivolts(id, true)), SourceMetadata.of("PTB-XL", null));
    }
}
