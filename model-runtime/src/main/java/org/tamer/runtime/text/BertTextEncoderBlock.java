package org.tamer.runtime.text;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BERT encoder as a DJL block, frozen: it runs on the model's engine and device but its parameters never
 * receive gradients. Input: token ids, attention mask and token type ids, each {@code int64 [batch, tokens]}.
 * Output: {@code [hidden states [batch, tokens, hidden], [CLS] attention of the last layer [batch, tokens],
 * pooler output [batch, hidden] (zeros when the weights have no pooler)]}. The [CLS] attention is the last
 * layer's attention of the first token over all tokens, averaged over heads, zero on padding and renormalised to
 * sum to one.
 */
public final class BertTextEncoderBlock extends AbstractBlock {

    private static final byte VERSION = 1;
    /** Added to attention scores of padding, as the reference implementation does ({@code finfo(float32).min}). */
    private static final float MASKED = -Float.MAX_VALUE;

    private final BertConfig config;
    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    private final boolean hasPooler;

    /** A block holding {@code weights}, copied into arrays of {@code manager} (which must outlive the block). */
    public BertTextEncoderBlock(BertConfig config, BertWeights weights, NDManager manager) {
        super(VERSION);
        this.config = config;
        int h = config.hiddenSize();
        load(weights, manager, "embeddings.word_embeddings.weight", config.vocabSize(), h);
        load(weights, manager, "embeddings.position_embeddings.weight", config.maxPositions(), h);
        load(weights, manager, "embeddings.token_type_embeddings.weight", config.typeVocabSize(), h);
        load(weights, manager, "embeddings.LayerNorm.weight", h);
        load(weights, manager, "embeddings.LayerNorm.bias", h);
        for (int i = 0; i < config.layers(); i++) {
            String p = "encoder.layer." + i + ".";
            for (String projection : new String[] {"query", "key", "value"}) {
                load(weights, manager, p + "attention.self." + projection + ".weight", h, h);
                load(weights, manager, p + "attention.self." + projection + ".bias", h);
            }
            load(weights, manager, p + "attention.output.dense.weight", h, h);
            load(weights, manager, p + "attention.output.dense.bias", h);
            load(weights, manager, p + "attention.output.LayerNorm.weight", h);
            load(weights, manager, p + "attention.output.LayerNorm.bias", h);
            load(weights, manager, p + "intermediate.dense.weight", config.intermediateSize(), h);
            load(weights, manager, p + "intermediate.dense.bias", config.intermediateSize());
            load(weights, manager, p + "output.dense.weight", h, config.intermediateSize());
            load(weights, manager, p + "output.dense.bias", h);
            load(weights, manager, p + "output.LayerNorm.weight", h);
            load(weights, manager, p + "output.LayerNorm.bias", h);
        }
        hasPooler = weights.find("pooler.dense.weight").isPresent();
        if (hasPooler) {
            load(weights, manager, "pooler.dense.weight", h, h);
            load(weights, manager, "pooler.dense.bias", h);
        }
        freezeParameters(true);
    }

    public BertConfig config() {
        return config;
    }

    public boolean hasPooler() {
        return hasPooler;
    }

    private void load(BertWeights weights, NDManager manager, String name, long... shape) {
        NamedTensor tensor = weights.require(name, shape);
        Parameter parameter = addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optRequiresGrad(false).build());
        parameter.setArray(manager.create(tensor.data(), new Shape(shape)));
        byName.put(name, parameter);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray types = inputs.get(2);
        Device device = ids.getDevice();
        long batch = ids.getShape().get(0);
        long tokens = ids.getShape().get(1);
        if (tokens > config.maxPositions()) {
            throw new IllegalArgumentException(tokens + " tokens exceed the encoder's " + config.maxPositions()
                    + " positions");
        }
        int h = config.hiddenSize();
        NDArray positions = ids.getManager().arange(0, (int) tokens, 1, DataType.INT64, device).reshape(1, tokens);
        NDArray x = Embedding.embedding(ids, w(store, "embeddings.word_embeddings.weight", device), SparseFormat.DENSE)
                .singletonOrThrow()
                .add(Embedding.embedding(positions, w(store, "embeddings.position_embeddings.weight", device),
                        SparseFormat.DENSE).singletonOrThrow())
                .add(Embedding.embedding(types, w(store, "embeddings.token_type_embeddings.weight", device),
                        SparseFormat.DENSE).singletonOrThrow());
        x = layerNorm(store, x, "embeddings.LayerNorm", device);
        // [batch, 1, 1, tokens]: 0 where attended, finfo.min where padding
        NDArray maskBias = mask.toType(DataType.FLOAT32, false).neg().add(1f).mul(MASKED).reshape(batch, 1, 1, tokens);
        NDArray lastProbabilities = null;
        for (int i = 0; i < config.layers(); i++) {
            String p = "encoder.layer." + i + ".";
            NDArray q = heads(linear(store, x, p + "attention.self.query", device), batch, tokens);
            NDArray k = heads(linear(store, x, p + "attention.self.key", device), batch, tokens);
            NDArray v = heads(linear(store, x, p + "attention.self.value", device), batch, tokens);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(config.headSize()))
                    .add(maskBias);
            NDArray probabilities = scores.softmax(-1);
            NDArray context = probabilities.matMul(v).transpose(0, 2, 1, 3).reshape(batch, tokens, h);
            NDArray attended = layerNorm(store, linear(store, context, p + "attention.output.dense", device).add(x),
                    p + "attention.output.LayerNorm", device);
            NDArray intermediate = Activation.gelu(linear(store, attended, p + "intermediate.dense", device));
            x = layerNorm(store, linear(store, intermediate, p + "output.dense", device).add(attended),
                    p + "output.LayerNorm", device);
            lastProbabilities = probabilities;
        }
        NDArray floatMask = mask.toType(DataType.FLOAT32, false);
        NDArray cls = lastProbabilities.get(":, :, 0, :").mean(new int[] {1}).mul(floatMask);
        cls = cls.div(cls.sum(new int[] {1}, true).maximum(1e-12f));
        NDArray pooled = hasPooler
                ? linear(store, x.get(":, 0, :"), "pooler.dense", device).tanh()
                : x.getManager().zeros(new Shape(batch, h), DataType.FLOAT32, device);
        return new NDList(x, cls, pooled);
    }

    private NDArray heads(NDArray projected, long batch, long tokens) {
        return projected.reshape(batch, tokens, config.attentionHeads(), config.headSize()).transpose(0, 2, 1, 3);
    }

    private NDArray linear(ParameterStore store, NDArray x, String module, Device device) {
        return Linear.linear(x, w(store, module + ".weight", device), w(store, module + ".bias", device))
                .singletonOrThrow();
    }

    private NDArray layerNorm(ParameterStore store, NDArray x, String module, Device device) {
        return LayerNorm.layerNorm(x, new Shape(config.hiddenSize()), w(store, module + ".weight", device),
                w(store, module + ".bias", device), (float) config.layerNormEps()).singletonOrThrow();
    }

    private NDArray w(ParameterStore store, String name, Device device) {
        return store.getValue(byName.get(name), device, false);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        long tokens = inputShapes[0].get(1);
        return new Shape[] {new Shape(batch, tokens, config.hiddenSize()), new Shape(batch, tokens),
            new Shape(batch, config.hiddenSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // all parameters are loaded from the weights at construction
    }
}
