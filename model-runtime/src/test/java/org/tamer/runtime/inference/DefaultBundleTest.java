package org.tamer.runtime.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.testdata.PtbXlRaw;

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

    private static EcgRecord record(int id) {
        return EcgRecord.of("ptbxl-" + id, EcgSignal.of(500, StandardLead.CANONICAL_ORDER,
                PtbXlRaw.millivolts(id, true)), SourceMetadata.of("PTB-XL", null));
    }
}
