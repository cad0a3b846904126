package org.tamer.runtime.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.Lead;
import org.tamer.runtime.ecg.MissingLeadsException;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.testdata.PtbXlRaw;

class PreprocessorTest {

    private final Preprocessor paper = new Preprocessor(PreprocessingConfig.paperDefaults());

    @Test
    void scalesARealRecordToTheUnitIntervalOverAllLeads() {
        float[][] mv = PtbXlRaw.millivolts(1, true);
        PreprocessedEcg out = paper.apply(record("ptbxl-1", 500, StandardLead.CANONICAL_ORDER, mv));
        assertEquals(12, out.leadCount());
        assertEquals(5000, out.length());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : out.toArray()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        PreprocessingReport report = out.report();
        double expected = (mv[3][1234] - report.minimum()) / (report.maximum() - report.minimum());
        assertEquals(expected, out.value(3, 1234), 1e-6);
        assertEquals(0, report.croppedSamples());
        assertEquals(0, report.paddedSamples());
    }

    @Test
    void putsLeadsInCanonicalOrderWhateverTheSourceOrder() {
        float[][] mv = PtbXlRaw.millivolts(7, true);
        List<Lead> shuffled = new ArrayList<>(StandardLead.CANONICAL_ORDER);
        Collections.reverse(shuffled);
        float[][] reversed = new float[12][];
        for (int i = 0; i < 12; i++) {
            reversed[i] = mv[11 - i];
        }
        PreprocessedEcg a = paper.apply(record("a", 500, StandardLead.CANONICAL_ORDER, mv));
        PreprocessedEcg b = paper.apply(record("b", 500, shuffled, reversed));
        assertEquals(StandardLead.CANONICAL_ORDER, b.leads());
        assertEquals(java.util.Arrays.toString(a.toArray()), java.util.Arrays.toString(b.toArray()));
    }

    @Test
    void resamplesCropsAndPads() {
        float[][] lr = PtbXlRaw.millivolts(3, false);
        PreprocessedEcg up = paper.apply(record("lr", 100, StandardLead.CANONICAL_ORDER, lr));
        assertEquals(5000, up.length());
        assertEquals(100.0, up.report().sourceRateHz());

        Preprocessor fiveSeconds = new Preprocessor(PreprocessingConfig.paperDefaults().withTargetLength(2500));
        PreprocessedEcg cropped = fiveSeconds.apply(record("hr", 500, StandardLead.CANONICAL_ORDER,
                PtbXlRaw.millivolts(3, true)));
        assertEquals(2500, cropped.report().croppedSamples());

        float[][] short4s = new float[12][];
        for (int i = 0; i < 12; i++) {
            short4s[i] = java.util.Arrays.copyOf(lr[i], 400);
        }
        PreprocessedEcg padded = paper.apply(record("short", 100, StandardLead.CANONICAL_ORDER, short4s));
        assertEquals(3000, padded.report().paddedSamples());
        for (int t = 2000; t < 5000; t++) {
            assertEquals(0f, padded.value(6, t));
        }
    }

    @Test
    void repairsMissingSamplesAndCountsThem() {
        float[][] mv = PtbXlRaw.millivolts(4, true);
        mv[2][100] = Float.NaN;
        mv[2][101] = Float.NaN;
        mv[9][0] = Float.NaN;
        PreprocessedEcg out = new Preprocessor(PreprocessingConfig.paperDefaults()
                .withNormalisation(Normalisation.NONE)).apply(record("gaps", 500, StandardLead.CANONICAL_ORDER, mv));
        assertEquals(3, out.report().repairedSamples());
        assertEquals((mv[2][99] + mv[2][102]) / 2f, out.value(2, 100), 1e-6f);
        assertEquals(mv[9][1], out.value(9, 0), 1e-6f);
    }

    @Test
    void zScoresEachLeadWhenAsked() {
        PreprocessedEcg out = new Preprocessor(PreprocessingConfig.paperDefaults()
                .withNormalisation(Normalisation.Z_SCORE_PER_LEAD))
                .apply(record("z", 500, StandardLead.CANONICAL_ORDER, PtbXlRaw.millivolts(5, true)));
        for (int lead = 0; lead < 12; lead++) {
            double sum = 0;
            double squares = 0;
            for (int t = 0; t < 5000; t++) {
                sum += out.value(lead, t);
                squares += out.value(lead, t) * out.value(lead, t);
            }
            assertEquals(0.0, sum / 5000, 1e-4);
            assertEquals(1.0, squares / 5000, 1e-3);
        }
    }

    @Test
    void namesTheRecordAndTheMissingLeads() {
        float[][] mv = PtbXlRaw.millivolts(1, true);
        List<Lead> limb = StandardLead.CANONICAL_ORDER.subList(0, 6);
        float[][] six = java.util.Arrays.copyOf(mv, 6);
        MissingLeadsException e = assertThrows(MissingLeadsException.class,
                () -> paper.apply(record("limb-only", 500, limb, six)));
        assertTrue(e.getMessage().startsWith("missing required leads [V1, V2, V3, V4, V5, V6]"), e.getMessage());
    }

    @Test
    void writesIntoACallersBuffer() {
        PreprocessedEcg out = paper.apply(record("b", 500, StandardLead.CANONICAL_ORDER, PtbXlRaw.millivolts(1, true)));
        FloatBuffer buffer = FloatBuffer.allocate(60_000);
        out.writeTo(buffer);
        assertEquals(out.value(11, 4999), buffer.get(59_999));
    }

    static EcgRecord record(String id, double rate, List<Lead> leads, float[][] mv) {
        return EcgRecord.of(id, EcgSignal.of(rate, leads, mv), SourceMetadata.of("test", null));
    }
}
