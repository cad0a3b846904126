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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.text.HuggingFaceFolderWriter;
import org.tamer.training.testing.PtbXlSubset;

/**
 * A frozen report encoder from a Hugging Face folder (the embedded MiniLM written as config.json, tokenizer.json and
 * model.safetensors: the layout Med-CPT comes in) through the whole tool: build-dataset, pretrain, publish and
 * evaluate on real PTB-XL records, each artifact recording the folder and the SHA-256 of its weights; a command
 * given another encoder stops and names both.
 */
class HuggingFaceEncoderCliIT {

    private static Path work;
    private static Path encoder;
    private static String encoderSha256;

    @BeforeAll
    static void trainWithAHuggingFaceEncoder(@TempDir Path dir) throws IOException, NoSuchAlgorithmException {
        work = dir;
        encoder = work.resolve("minilm-as-huggingface");
        HuggingFaceFolderWriter.write(encoder);
        encoderSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(encoder.resolve("model.safetensors"))));
        Path ptbXl = PtbXlSubset.write(work.resolve("ptbxl"), 80);
        assertEquals(0, TamerCli.run("build-dataset", "--source", "ptbxl", "--input", ptbXl.toString(), "--output",
                work.resolve("dataset").toString(), "--english-reports", "--shard-size", "32",
                "--text-encoder", encoder.toString(), "--text-pooling", "CLS"));
        assertEquals(0, TamerCli.run("pretrain", "--dataset", work.resolve("dataset").toString(), "--run",
                work.resolve("run").toString(), "--architecture", "compact", "--batch-size", "8", "--epochs", "1",
                "--max-steps", "2", "--learning-rate", "1e-3"));
        assertEquals(0, TamerCli.run("publish", "--run", work.resolve("run").toString(), "--output",
                work.resolve("bundle").toString(), "--prompts", "ptbxl-super"));
    }

    @Test
    void everyArtifactRecordsTheFolderEncoderAndEvaluateUsesIt() throws IOException {
        String reference = "huggingface:" + encoder.toAbsolutePath().normalize();
        JsonObject manifest = json(work.resolve("dataset/manifest.json")).getAsJsonObject("textEncoder");
        assertEquals(reference, manifest.get("reference").getAsString());
        assertEquals(encoderSha256, manifest.get("sha256").getAsString());
        assertEquals("CLS", manifest.get("pooling").getAsString());
        assertEquals(encoderSha256, json(work.resolve("run/run.json")).getAsJsonObject("textEncoder").get("sha256")
                .getAsString());
        ModelBundle bundle = ModelBundle.open(work.resolve("bundle"));
        assertEquals(reference, bundle.manifest().textEncoder().reference());
        assertEquals(encoderSha256, bundle.manifest().textEncoder().sha256());
        assertEquals("CLS", bundle.manifest().textEncoder().pooling().name());

        Path evaluation = work.resolve("evaluation");
        assertEquals(0, TamerCli.run("evaluate", "--bundle", work.resolve("bundle").toString(), "--dataset",
                work.resolve("dataset").toString(), "--split", "VALIDATION,TEST", "--output", evaluation.toString(),
                "--bootstrap", "20"));
        JsonObject report = json(evaluation.resolve("evaluation.json"));
        org.tamer.training.dataset.ShardDataset data = org.tamer.training.dataset.ShardDataset.open(
                work.resolve("dataset"));
        int held = data.split(org.tamer.training.dataset.Split.VALIDATION).size()
                + data.split(org.tamer.training.dataset.Split.TEST).size();
        assertTrue(held >= 20, "folds 9 and 10 of the first 80 PTB-XL records: " + held);
        assertEquals(held, report.get("examples").getAsInt());
        double macro = report.get("macroAuc").getAsDouble();
        assertTrue(macro > 0 && macro < 1, "macro AUC " + macro);
    }

    @Test
    void aCommandGivenAnotherEncoderStopsAndNamesBoth() {
        String bundle = work.resolve("bundle").toString();
        String message = failure("evaluate", "--bundle", bundle, "--dataset", work.resolve("dataset").toString(),
                "--output", work.resolve("refused").toString(), "--text-encoder", "embedded");
        assertTrue(message.contains("was built with text encoder huggingface:" + encoder.toAbsolutePath().normalize()
                + " (weights sha256 " + encoderSha256.substring(0, 12)), message);
        assertTrue(message.contains("but this command was given embedded:all-minilm-l6-v2 (weights sha256 "),
                message);
        String publish = failure("publish", "--run", work.resolve("run").toString(), "--output",
                work.resolve("other-bundle").toString(), "--text-encoder", "embedded");
        assertTrue(publish.contains("the run " + work.resolve("run")) && publish.contains("huggingface:")
                && publish.contains("embedded:all-minilm-l6-v2"), publish);
        assertTrue(!Files.exists(work.resolve("other-bundle")), "nothing written");
    }

    private static String failure(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(1, TamerCli.run(args));
        } finally {
            System.setErr(original);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    }
}
