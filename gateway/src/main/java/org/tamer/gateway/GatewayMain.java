package org.tamer.gateway;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.PtbXlEntry;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.inference.ClassScore;
import org.tamer.runtime.inference.Diagnosis;
import org.tamer.runtime.inference.ZeroShotClassifier;
import org.tamer.runtime.preprocess.PreprocessedEcg;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.PreprocessingReport;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.spectrogram.Spectrogram;
import org.tamer.runtime.spectrogram.SpectrogramTransform;
import org.tamer.runtime.spectrogram.StftConfig;

/**
 * The README's main command. Until the gateway service lands, it runs one real PTB-XL record through the same
 * adapters, preprocessing and spectrogram the gateway will use, on the engine it will use, and prints what it
 * found.
 *
 * <p>Arguments: {@code [--data DIR] [--record ECG_ID] [--bundle DIR]}. The data folder defaults to
 * {@code TAMER_DATA_DIR}, then the {@code tamer.data.dir} system property, then {@code ../shared/data}; the model
 * bundle to {@code TAMER_MODEL_BUNDLE}, then the embedded default {@code ../models/tamer-ptbxl-default}.
 */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) {
        try {
            DemoOptions options = DemoOptions.parse(args, System.getenv("TAMER_DATA_DIR"),
                    System.getProperty("tamer.data.dir"));
            new GatewayDemo(System.out).run(options);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("tamer: " + e.getMessage());
            System.exit(2);
        }
    }

    /** The demo's settings. */
    record DemoOptions(Path dataDirectory, int ecgId, Path bundleDirectory) {

        static DemoOptions parse(String[] args, String environmentDirectory, String propertyDirectory) {
            String directory = environmentDirectory != null && !environmentDirectory.isBlank() ? environmentDirectory
                    : propertyDirectory != null && !propertyDirectory.isBlank() ? propertyDirectory
                    : "../shared/data";
            int ecgId = 1;
            String bundle = System.getenv().getOrDefault("TAMER_MODEL_BUNDLE", "../models/tamer-ptbxl-default");
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--data" -> directory = require(value, "--data");
                    case "--bundle" -> bundle = require(value, "--bundle");
                    case "--record" -> {
                        try {
                            ecgId = Integer.parseInt(require(value, "--record"));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--record takes a PTB-XL ecg_id, got '" + value + "'");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                            + "'; usage: [--data DIR] [--record ECG_ID] [--bundle DIR]");
                }
                i++;
            }
            Path root = Path.of(directory).toAbsolutePath().normalize();
            if (!Files.isRegularFile(root.resolve("ptbxl/ptbxl_database.csv"))) {
                throw new IllegalArgumentException("no PTB-XL data at " + root + "/ptbxl (set TAMER_DATA_DIR or "
                        + "pass --data to the folder holding ptbxl/)");
            }
            return new DemoOptions(root, ecgId, Path.of(bundle).toAbsolutePath().normalize());
        }

        private static String require(String value, String option) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }

    /** Reads, preprocesses and transforms one record and prints a summary. */
    static final class GatewayDemo {

        private final PrintStream out;

        GatewayDemo(PrintStream out) {
            this.out = out;
        }

        void run(DemoOptions options) {
            long start = System.nanoTime();
            ComputeEngine engine = ComputeEngine.load();
            PtbXlArchive archive = new PtbXlArchive(options.dataDirectory().resolve("ptbxl"), true,
                    ReportLanguage.ORIGINAL);
            PtbXlEntry entry = archive.database().entry(options.ecgId()).orElseThrow(() ->
                    new IllegalArgumentException("PTB-XL record " + options.ecgId() + " is not in "
                            + options.dataDirectory().resolve("ptbxl")));
            EcgRecord record = archive.read(entry);
            Preprocessor preprocessor = new Preprocessor(PreprocessingConfig.paperDefaults());
            PreprocessedEcg ecg = preprocessor.apply(record);
            SpectrogramTransform transform = new SpectrogramTransform(StftConfig.paperDefaults());
            Spectrogram spectrogram = transform.apply(ecg);

            out.println("TAMER ECG gateway - foundation check (the HL7/FHIR service arrives with the gateway issue)");
            out.println("engine        " + engine.describe());
            out.println("record        " + record.id() + " from " + record.source().format() + " "
                    + record.source().file().orElse("") + record.source().device().map(d -> " (device " + d + ")")
                    .orElse(""));
            out.println("patient       " + record.subjectReference().orElse("-") + ", acquired "
                    + record.acquisitionTime().map(Object::toString).orElse("-"));
            out.printf(Locale.ROOT, "signal        %d leads %s x %d samples at %.0f Hz (%.1f s)%n",
                    record.signal().leadCount(), record.signal().leads(), record.signal().length(),
                    record.signal().samplingRateHz(), record.signal().durationSeconds());
            out.println("report        " + record.reportText().orElse("-"));
            out.println("english       " + entry.englishReport());
            out.println("statements    " + entry.scpCodes().stream()
                    .map(c -> c.likelihood() > 0 ? c.code() + " " + (int) c.likelihood() + "%" : c.code())
                    .collect(Collectors.joining(", ")) + "; superclasses " + entry.diagnosticSuperclasses()
                    + "; strat_fold " + entry.strataFold());
            PreprocessingReport report = ecg.report();
            out.printf(Locale.ROOT, "preprocessed  %d x %d at %.0f Hz, %s; range %.3f..%.3f mV; repaired %d, "
                            + "cropped %d, padded %d samples%n", ecg.leadCount(), ecg.length(), ecg.samplingRateHz(),
                    preprocessor.config().normalisation(), report.minimum(), report.maximum(),
                    report.repairedSamples(), report.croppedSamples(), report.paddedSamples());
            StftConfig stft = transform.config();
            out.printf(Locale.ROOT, "spectrogram   %d x %d x %d (leads x bins 0-%.0f Hz x frames)%n",
                    spectrogram.leads(), spectrogram.frequencyBins(), spectrogram.frames(),
                    stft.frequencyHz(spectrogram.frequencyBins() - 1));
            out.println("lead   min mV   max mV   dominant Hz (excluding DC)");
            for (int lead = 0; lead < record.signal().leadCount(); lead++) {
                float min = Float.MAX_VALUE;
                float max = -Float.MAX_VALUE;
                for (int t = 0; t < record.signal().length(); t++) {
                    min = Math.min(min, record.signal().millivolts(lead, t));
                    max = Math.max(max, record.signal().millivolts(lead, t));
                }
                out.printf(Locale.ROOT, "%-5s %7.3f  %7.3f   %6.1f%n", record.signal().leads().get(lead).label(),
                        min, max, stft.frequencyHz(dominantBin(spectrogram, lead)));
            }
            Path bundleDirectory = options.bundleDirectory();
            if (Files.isDirectory(bundleDirectory)) {
                ModelBundle bundle = ModelBundle.open(bundleDirectory);
                try (ZeroShotClassifier classifier = ZeroShotClassifier.load(bundle, engine)) {
                    Diagnosis diagnosis = classifier.classify(List.of(ecg)).get(0);
                    out.println("zero-shot     " + bundle.manifest().name() + " " + bundle.manifest().version()
                            + " (cosine score per class, best first)");
                    for (ClassScore score : diagnosis.top(diagnosis.scores().size())) {
                        out.printf(Locale.ROOT, "  %-6s %+.4f%n", score.code(), score.score());
                    }
                }
            } else {
                out.println("zero-shot     no model bundle at " + bundleDirectory);
            }
            out.printf(Locale.ROOT, "done in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        }

        private static int dominantBin(Spectrogram spectrogram, int lead) {
            int best = 1;
            double bestEnergy = -1;
            for (int bin = 1; bin < spectrogram.frequencyBins(); bin++) {
                double energy = 0;
                for (int frame = 0; frame < spectrogram.frames(); frame++) {
                    double m = spectrogram.magnitude(lead, bin, frame);
                    energy += m * m;
                }
                if (energy > bestEnergy) {
                    bestEnergy = energy;
                    best = bin;
                }
            }
            return best;
        }
    }
}
