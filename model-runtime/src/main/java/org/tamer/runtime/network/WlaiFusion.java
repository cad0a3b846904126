package org.tamer.runtime.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * WLAI: refines the concatenated local tokens l = [l^t; l^f] {@code [batch, n, D]} with two residual multi-head
 * self-attention layers, z1 = l + att1(l) and z2 = z1 + att2(z1), then pools them by attention from a learnable
 * class token into the fused ECG embedding z^e {@code [batch, D]}. Output: {@code [z^e, z2, pooling weights
 * [batch, n]]}.
 */
public final class WlaiFusion extends AbstractBlock {

    private final int size;
    private final MultiHeadAttention first;
    private final MultiHeadAttention second;
    private final MultiHeadAttention pooling;
    private final Parameter classToken;

    public WlaiFusion(int size, int heads) {
        this.size = size;
        first = addChildBlock("self_attention_1", new MultiHeadAttention(size, heads));
        second = addChildBlock("self_attention_2", new MultiHeadAttention(size, heads));
        pooling = addChildBlock("attention_pooling", new MultiHeadAttention(size, heads));
        classToken = addParameter(Parameter.builder().setName("class_token").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, 1, size)).optInitializer(new NormalInitializer(0.02f)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray tokens = inputs.head();
        long batch = tokens.getShape().get(0);
        NDArray z1 = tokens.add(first.forward(store, new NDList(tokens, tokens), training).head());
        NDArray z2 = z1.add(second.forward(store, new NDList(z1, z1), training).head());
        NDArray cls = store.getValue(classToken, tokens.getDevice(), training).broadcast(batch, 1, size);
        // the broadcast belongs to the parameter's manager; hand it to the batch so that what follows is freed
        cls.attach(tokens.getManager());
        NDList pooled = pooling.forward(store, new NDList(cls, z2), training);
        NDArray fused = pooled.get(0).reshape(batch, size);
        NDArray weights = pooled.get(1).reshape(batch, tokens.getShape().get(1));
        return new NDList(fused, z2, weights);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), size), s, new Shape(s.get(0), s.get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        first.initialize(manager, dataType, inputShapes[0], inputShapes[0]);
        second.initialize(manager, dataType, inputShapes[0], inputShapes[0]);
        pooling.initialize(manager, dataType, new Shape(inputShapes[0].get(0), 1, size), inputShapes[0]);
    }
}
