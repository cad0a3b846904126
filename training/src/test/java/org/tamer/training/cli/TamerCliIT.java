package org.tamer.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.testdata.SharedData;
import org.tamer.training.dataset.DatasetExample;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.Split;

/** The tool end to end on the real PTB-XL records: build-dataset, pretrain, publish, evaluate, calibrate. */
class TamerCliIT {

    @Test
    void buildsPretrainsPublishesAndEvaluates(@TempDir Path work) throws IOException {
        Path dataset = work.resolve("dataset");
        Path run = work.resolve("run");
        Path bundle = work.resolve("bundle");
        Path evaluation = work.resolve("evaluation");
        assertEquals(0, TamerCli.run("build-dataset", "--source", "ptbxl", "--input", SharedData.ptbXl().toString(),
                "--output", dataset.toString(), "--shard-size", "128"));
        ShardDataset data = ShardDataset.open(dataset);
        assertTrue(data.split(Split.TRAIN).size() > 150, "training examples: " + data.split(Split.TRAIN).size());

        assertEquals(0, TamerCli.run("pretrain", "--dataset", dataset.toString(), "--run", run.toString(),
                "--architecture", "compact", "--batch-size", "16", "--epochs", "1", "--max-steps", "3",
                "--learning-rate", "1e-3"));
        assertEquals(3, Files.readAllLines(run.resolve("train-log.jsonl")).size());
        assertEquals(0, TamerCli.run("pretrain", "--dataset", dataset.toString(), "--run", run.toString(),
                "--architecture", "compact", "--batch-size", "16", "--epochs", "1", "--max-steps", "2",
                "--learning-rate", "1e-3", "--resume"));
        assertEquals(5, Files.readAllLines(run.resolve("train-log.jsonl")).size());

        assertEquals(0, TamerCli.run("publish", "--run", run.toString(), "--output", bundle.toString(),
                "--prompts", "ptbxl-super"));
        assertEquals(5, ModelBundle.open(bundle).manifest().prompts().classes().size());

        assertEquals(0, TamerCli.run("evaluate", "--bundle", bundle.toString(), "--dataset", dataset.toString(),
                "--output", evaluation.toString(), "--bootstrap", "50"));
        JsonObject report = JsonParser.parseString(Files.readString(evaluation.resolve("evaluation.json")))
                .getAsJsonObject();
        double macro = report.get("macroAuc").getAsDouble();
        // the baseline: the same architecture and seed, initialised and not trained (pretrain --init-only),
        // published and evaluated through the same commands on the same ECGs; five steps must have moved it
        Path initial = work.resolve("initial");
        assertEquals(0, TamerCli.run("pretrain", "--dataset", dataset.toString(), "--run", initial.toString(),
                "--architecture", "compact", "--init-only"));
        Path initialBundle = work.resolve("initial-bundle");
        assertEquals(0, TamerCli.run("publish", "--run", initial.toString(), "--output", initialBundle.toString(),
                "--prompts", "ptbxl-super"));
        double baseline = macroAuc(work, initialBundle, dataset, "TEST");
        double trainedTest = macroAuc(work, bundle, dataset, "TEST");
        assertTrue(Math.abs(trainedTest - baseline) > 1e-4, "five training steps changed the scores: " + trainedTest
                + " against the untrained network's " + baseline);
        // and a trained model does beat that baseline on the same ECGs: the default model (paper architecture)
        // against its own architecture initialised with the same seed, both through evaluate
        Path paperInitial = work.resolve("paper-initial");
        assertEquals(0, TamerCli.run("pretrain", "--dataset", dataset.toString(), "--run", paperInitial.toString(),
                "--architecture", "paper", "--init-only"));
        Path paperInitialBundle = work.resolve("paper-initial-bundle");
        assertEquals(0, TamerCli.run("publish", "--run", paperInitial.toString(), "--output",
                paperInitialBundle.toString(), "--prompts", "ptbxl-super"));
        Path defaultModel = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize()
                .resolve("models/tamer-ptbxl-default");
        double defaultAuc = macroAuc(work, defaultModel, dataset, "TEST");
        double paperBaseline = macroAuc(work, paperInitialBundle, dataset, "TEST");
        assertTrue(defaultAuc > paperBaseline + 0.05, "the default model " + defaultAuc
                + " against a randomly initialised network of its architecture " + paperBaseline);
        long testNorm = data.split(Split.TEST).stream().map(DatasetExample::labels).filter(l -> l.contains("NORM"))
                .count();
        assertEquals(testNorm, report.getAsJsonObject("classes").getAsJsonObject("NORM").get("positives").getAsLong());
        assertTrue(Files.readString(evaluation.resolve("evaluation.md")).contains("| NORM |"));
        JsonObject uncalibrated = JsonParser.parseString(Files.readString(evaluation.resolve("probabilities.json")))
                .getAsJsonObject();

        // Platt scaling on the validation fold; judged on the test fold, which it never saw
        Path calibrated = work.resolve("calibrated");
        assertEquals(0, TamerCli.run("calibrate", "--bundle", bundle.toString(), "--dataset", dataset.toString(),
                "--split", "VALIDATION", "--output", calibrated.toString()));
        ModelBundle before = ModelBundle.open(bundle);
        ModelBundle after = ModelBundle.open(calibrated);
        assertEquals(before.manifest().parametersSha256(), after.manifest().parametersSha256());
        assertTrue(!before.revision().equals(after.revision()), "a calibrated bundle is a new revision");
        assertTrue(!after.manifest().calibrationOf("NORM").isIdentity(), "NORM has positives and negatives");
        Path calibratedEvaluation = work.resolve("calibrated-evaluation");
        assertEquals(0, TamerCli.run("evaluate", "--bundle", calibrated.toString(), "--dataset", dataset.toString(),
                "--split", "TEST", "--output", calibratedEvaluation.toString(), "--bootstrap", "50"));
        Path testEvaluation = work.resolve("test-evaluation");
        assertEquals(0, TamerCli.run("evaluate", "--bundle", bundle.toString(), "--dataset", dataset.toString(),
                "--split", "TEST", "--output", testEvaluation.toString(), "--bootstrap", "50"));
        JsonObject test = JsonParser.parseString(Files.readString(testEvaluation.resolve("evaluation.json")))
                .getAsJsonObject();
        JsonObject calibratedTest = JsonParser.parseString(Files.readString(calibratedEvaluation.resolve(
                "evaluation.json"))).getAsJsonObject();
        assertEquals(test.get("macroAuc").getAsDouble(), calibratedTest.get("macroAuc").getAsDouble(), 1e-12,
                "calibration is monotone per class: the AUCs stay");
        double brierBefore = JsonParser.parseString(Files.readString(testEvaluation.resolve("probabilities.json")))
                .getAsJsonObject().get("meanBrier").getAsDouble();
        double brierAfter = JsonParser.parseString(Files.readString(calibratedEvaluation.resolve(
                "probabilities.json"))).getAsJsonObject().get("meanBrier").getAsDouble();
        assertTrue(brierAfter < brierBefore, "held-out Brier score " + brierBefore + " -> " + brierAfter);
        assertTrue(uncalibrated.get("meanBrier").getAsDouble() > 0.2, "sigmoid of a cosine stays near 0.5: "
                + uncalibrated);

        Path plots = work.resolve("plots");
        assertEquals(0, TamerCli.run("plot", "--bundle", bundle.toString(), "--dataset", dataset.toString(),
                "--run", run.toString(), "--output", plots.toString()));
        for (String png : new String[] {"tsne.png", "training-curves.png"}) {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(plots.resolve(png).toFile());
            assertEquals(900, image.getWidth(), png);
        }
        Path embeddings = work.resolve("z.tsv");
        assertEquals(0, TamerCli.run("embed", "--bundle", bundle.toString(), "--dataset", dataset.toString(),
                "--output", embeddings.toString()));
        assertEquals(data.split(Split.TEST).size(), Files.readAllLines(embeddings).size());
    }

    /** The macro AUC that {@code evaluate} reports for a bundle on a split (no bootstrap). */
    private static double macroAuc(Path work, Path bundle, Path dataset, String split) throws IOException {
        Path output = Files.createTempDirectory(work, "evaluate");
        assertEquals(0, TamerCli.run("evaluate", "--bundle", bundle.toString(), "--dataset", dataset.toString(),
                "--split", split, "--prompts", "ptbxl-super", "--output", output.toString(), "--bootstrap", "0"));
        return JsonParser.parseString(Files.readString(output.resolve("evaluation.json"))).getAsJsonObject()
                .get("macroAuc").getAsDouble();
    }

    @Test
    void buildsADatasetFromAFolderOfHospitalExports(@TempDir Path work) throws IOException {
        Path exports = Files.createDirectories(work.resolve("exports"));
        Files.copy(SharedData.file("formats/dicom-waveform_ecg.dcm"), exports.resolve("a.dcm"));
        Files.copy(SharedData.file("formats/hl7-aecg-example.xml"), exports.resolve("b.xml"));
        Files.copy(SharedData.file("formats/sierra/1_04/3191723_ZZDEMOPTONLY_1-04_orig.xml"), exports.resolve("c.xml"));
        Files.copy(SharedData.file("formats/sierra/invalid-doc-type.xml"), exports.resolve("d.xml"));
        Files.writeString(exports.resolve("notes.txt"), "not an ECG");
        Path dataset = work.resolve("dataset");
        assertEquals(0, TamerCli.run("build-dataset", "--source", "files", "--input", exports.toString(),
                "--output", dataset.toString()));
        JsonObject counts = JsonParser.parseString(Files.readString(dataset.resolve("manifest.json")))
                .getAsJsonObject().getAsJsonObject("counts");
        assertEquals(5, counts.get("records").getAsInt());
        assertEquals(2, counts.getAsJsonObject("dropped").get("unreadable").getAsInt(), counts.toString());
        int written = counts.getAsJsonObject("written").entrySet().stream().mapToInt(e -> e.getValue().getAsInt())
                .sum();
        int dropped = counts.getAsJsonObject("dropped").entrySet().stream().mapToInt(e -> e.getValue().getAsInt())
                .sum();
        assertEquals(5, written + dropped);
        assertEquals(2, Files.readAllLines(dataset.resolve("skipped.tsv")).size());
        String manifest = Files.readString(dataset.resolve("manifest.json"));
        assertEquals(0, TamerCli.run("build-dataset", "--source", "files", "--input", exports.toString(),
                "--output", dataset.toString(), "--resume"), "resuming a finished build");
        assertEquals(manifest, Files.readString(dataset.resolve("manifest.json")));
    }

    /**
     * The same twelve real PTB-XL records archived twice, as an interface engine's HL7 v2 batch file (FHS/BHS,
     * LF line ends) and as a FHIR Bulk Data export (waveform Observations with their reports as notes): both
     * sources give the same examples, waveform for waveform.
     */
    @Test
    void buildsTheSameDatasetFromHl7BatchFilesAndFromAFhirBulkExport(@TempDir Path work) throws IOException {
        var ptbXl = new org.tamer.routes.adapters.ptbxl.PtbXlArchive(SharedData.ptbXl(), true,
                org.tamer.routes.adapters.ptbxl.ReportLanguage.ENGLISH_STATEMENTS);
        var writer = new org.tamer.routes.hl7.Hl7WaveformWriter(org.tamer.routes.hl7.WaveformStyle.IHE_PCD_01,
                "2.5.1", org.tamer.routes.hl7.WaveformScale.MICROVOLT, "CART", "WARD7");
        var fhir = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser();
        var mapper = new org.tamer.fhir.mapping.EcgFhirMapper(new org.tamer.fhir.terminology.MdcLeadCodes());
        StringBuilder batch = new StringBuilder("FHS|^~\\&|CART|WARD7\rBHS|^~\\&|CART|WARD7\r");
        StringBuilder ndjson = new StringBuilder();
        java.time.ZonedDateTime sent = java.time.ZonedDateTime.parse("2026-11-24T09:30:00Z");
        for (int id = 30; id < 42; id++) {
            org.tamer.runtime.ecg.EcgRecord record = ptbXl.read(Integer.toString(id));
            batch.append(writer.write(record, "M" + id, sent));
            org.hl7.fhir.r4.model.Observation observation = mapper.toObservation(record);
            observation.setId("ecg-" + id);
            ndjson.append(fhir.encodeResourceToString(observation)).append('\n');
        }
        batch.append("BTS|12\rFTS|1\r");
        Path hl7 = Files.createDirectories(work.resolve("hl7-archive"));
        Files.writeString(hl7.resolve("2026-11-24.hl7"), batch.toString().replace('\r', '\n'),
                StandardCharsets.ISO_8859_1);
        Path export = Files.createDirectories(work.resolve("bulk-export"));
        Files.writeString(export.resolve("Observation.ndjson"), ndjson, StandardCharsets.UTF_8);

        assertEquals(0, TamerCli.run("build-dataset", "--source", "hl7", "--input", hl7.toString(), "--output",
                work.resolve("from-hl7").toString()));
        assertEquals(0, TamerCli.run("build-dataset", "--source", "fhir", "--input", export.toString(), "--output",
                work.resolve("from-fhir").toString()));
        ShardDataset fromHl7 = ShardDataset.open(work.resolve("from-hl7"));
        ShardDataset fromFhir = ShardDataset.open(work.resolve("from-fhir"));
        JsonObject counts = fromHl7.manifest().getAsJsonObject("counts");
        assertEquals(12, counts.get("records").getAsInt(), counts.toString());
        assertTrue(fromHl7.examples().size() >= 8, "examples: " + fromHl7.examples().size() + " " + counts);
        assertEquals(fromHl7.examples().size(), fromFhir.examples().size());
        java.util.Map<String, DatasetExample> byPseudonym = new java.util.HashMap<>();
        fromFhir.examples().forEach(e -> byPseudonym.put(e.pseudonym(), e));
        for (DatasetExample e : fromHl7.examples()) {
            DatasetExample other = byPseudonym.get(e.pseudonym());
            assertTrue(other != null, "the same record from both sources");
            assertEquals(e.report(), other.report());
            assertEquals(e.split(), other.split());
            for (int i = 0; i < e.waveform().length; i++) {
                assertEquals(e.waveform()[i], other.waveform()[i], 1e-4, "waveform sample " + i);
            }
        }
    }

    @Test
    void explainsItselfAndNamesBadArguments() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, TamerCli.run("--help"));
        } finally {
            System.setOut(original);
        }
        String help = out.toString(StandardCharsets.UTF_8);
        for (String command : new String[] {"build-dataset", "pretrain", "evaluate", "publish", "calibrate", "embed",
            "plot", "retrain"}) {
            assertTrue(help.contains(command), help);
        }
        assertEquals(2, TamerCli.run("pretrain", "--dataset"));
    }
}
