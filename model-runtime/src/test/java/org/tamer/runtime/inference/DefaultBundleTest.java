package org.tamer.runtime.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

/** The committed default bundle (models/tamer-ptbxl-default) opens, matches its hash and diagnoses real ECGs. */
class DefaultBundleTest {

    static final Path DEFAULT_BUNDLE = Path.of("..", "models", "tamer-ptbxl-default");

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

    private static EcgRecord record(int id) {
        return EcgRecord.of("ptbxl-" + id, EcgSignal.of(500, StandardLead.CANONICAL_ORDER,
                PtbXlRaw.millivolts(id, true)), SourceMetadata.of("PTB-XL", null));
    }
}
