package org.tamer.training.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.preprocess.PreprocessedEcg;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.spectrogram.SpectrogramTransform;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.testdata.SharedData;

/**
 * Real PTB-XL ECG–report pairs, preprocessed and transformed exactly as training does, for tests: the first
 * {@code count} records (at 500 Hz) whose free-text reports are all different.
 */
public final class RealPairs {

    private final List<String> reports = new ArrayList<>();
    private final float[] waveforms;
    private final float[] spectrograms;
    private final int count;

    public RealPairs(int count) {
        this.count = count;
        PtbXlArchive archive = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ORIGINAL);
        Preprocessor preprocessor = new Preprocessor(PreprocessingConfig.paperDefaults());
        SpectrogramTransform stft = new SpectrogramTransform(StftConfig.paperDefaults());
        waveforms = new float[count * 12 * 5000];
        spectrograms = new float[count * 12 * 63 * 81];
        Set<String> seen = new LinkedHashSet<>();
        int n = 0;
        for (String key : archive.recordKeys()) {
            if (n == count) {
                break;
            }
            EcgRecord record = archive.read(key);
            String report = record.reportText().orElse("").strip().toLowerCase(java.util.Locale.ROOT);
            if (report.split("\\s+").length < 3 || !seen.add(report)) {
                continue;
            }
            PreprocessedEcg ecg = preprocessor.apply(record);
            ecg.copyInto(waveforms, n * 12 * 5000);
            stft.apply(ecg).copyInto(spectrograms, n * 12 * 63 * 81);
            reports.add(report);
            n++;
        }
        if (n < count) {
            throw new IllegalStateException("only " + n + " PTB-XL records with distinct reports");
        }
    }

    public List<String> reports() {
        return reports;
    }

    public NDArray waveforms(NDManager manager) {
        return manager.create(waveforms, new Shape(count, 12, 5000));
    }

    public NDArray spectrograms(NDManager manager) {
        return manager.create(spectrograms, new Shape(count, 12, 63, 81));
    }
}
