package org.tamer.training.cli;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.concurrent.Callable;
import org.tamer.runtime.bundle.BundleManifest;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.bundle.TextEncoderReference;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.inference.ClassEmbeddings;
import org.tamer.runtime.inference.PromptDictionary;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.Pretrainer;
import org.tamer.training.RunConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "publish", showDefaultValues = true,
        description = "Write a model bundle the gateway loads from a run's last checkpoint.")
final class PublishCommand implements Callable<Integer> {

    // not mixinStandardHelpOptions: its --version would collide with the bundle's --version
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--run", required = true, description = "the pre-training run folder")
    Path run;

    @Option(names = "--output", required = true, description = "the bundle folder to write (replaced atomically)")
    Path output;

    @Option(names = "--prompts", defaultValue = "ptbxl-super", description = "prompt file or shipped set: "
            + Prompts.SHIPPED)
    String prompts;

    @Option(names = "--name", defaultValue = "tamer-ecg", description = "the bundle's name")
    String name;

    @Option(names = "--version", defaultValue = "0.1.0", description = "the bundle's version")
    String version;

    @Option(names = "--text-encoder", description = TextEncoderOption.DESCRIPTION + "; default: the one the run's "
            + "dataset was built with (a different one is refused)")
    String textEncoder;

    @Option(names = "--model-card", description = "a Markdown model card to copy into the bundle")
    Path modelCard;

    @Override
    public Integer call() {
        ComputeEngine engine = ComputeEngine.load();
        RunConfiguration configuration = RunConfiguration.read(run);
        PromptDictionary dictionary = Prompts.load(prompts);
        TextEncoderReference trainedWith = trainedWith(run, configuration.textHiddenSize());
        try (NDManager manager = NDManager.newBaseManager(engine.device());
             TextEncoder encoder = TextEncoderOption.forBundle(Optional.ofNullable(textEncoder), trainedWith,
                     "the run " + run, engine.device())) {
            TamerNetwork network = loadCheckpoint(configuration, manager, run);
            List<float[]> embeddings = ClassEmbeddings.compute(network, encoder, dictionary, manager);
            BundleManifest manifest = new BundleManifest(ModelBundle.FORMAT_VERSION, name, version, Instant.now(),
                    configuration.network(), PreprocessingConfig.paperDefaults(), StftConfig.paperDefaults(),
                    new TextEncoderReference(encoder.source().reference(), encoder.weightsSha256(), encoder.pooling(),
                            encoder.maxTokens(), encoder.hiddenSize()), dictionary, embeddings, Map.of(), "pending");
            ModelBundle bundle = ModelBundle.write(output, manifest, network);
            if (modelCard != null) {
                Files.writeString(bundle.directory().resolve("MODEL_CARD.md"), Files.readString(modelCard,
                        StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            }
            System.out.println("publish: wrote " + bundle.directory() + " (parameters sha256 "
                    + bundle.manifest().parametersSha256() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }

    /**
     * The text encoder the run's dataset was built with, as run.json records it; runs written before it was
     * recorded were trained on the embedded MiniLM (the only encoder build-dataset had).
     */
    static TextEncoderReference trainedWith(Path run, int hiddenSize) {
        Path file = run.resolve(RunConfiguration.FILE);
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            if (json.has("textEncoder")) {
                JsonObject manifest = new JsonObject();
                manifest.add("textEncoder", json.get("textEncoder"));
                return TextEncoderOption.ofDataset(manifest, hiddenSize);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try (TextEncoder embedded = TextEncoder.embeddedDefault(ai.djl.Device.cpu())) {
            return new TextEncoderReference(embedded.source().reference(), embedded.weightsSha256(),
                    embedded.pooling(), embedded.maxTokens(), embedded.hiddenSize());
        }
    }

    static TamerNetwork loadCheckpoint(RunConfiguration configuration, NDManager manager, Path run) {
        TamerNetwork network = new TamerNetwork(configuration.network());
        network.initialize(manager);
        Path parameters = run.resolve(Pretrainer.CHECKPOINT).resolve("parameters.bin");
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(parameters)))) {
            network.loadParameters(manager, in);
        } catch (IOException | MalformedModelException e) {
            throw new IllegalArgumentException(parameters + ": cannot load the checkpoint: " + e.getMessage(), e);
        }
        return network;
    }
}
