package org.tamer.runtime.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head scaled dot-product attention with learnable query, key, value and output projections, and no
 * dropout (DJL's transformer blocks default to 0.1 attention dropout; TAMER has none). Input:
 * {@code [queries [batch, q, D], keys/values [batch, k, D]]} and optionally a key mask {@code [batch, k]} (1 real,
 * 0 padding). Output: {@code [attended [batch, q, D], attention weights averaged over heads [batch, q, k]]}.
 */
public final class MultiHeadAttention extends AbstractBlock {

    private static final float MASKED = -1e9f;

    private final int size;
    private final int heads;
    private final Block query;
    private final Block key;
    private final Block value;
    private final Block output;

    public MultiHeadAttention(int size, int heads) {
        if (size % heads != 0) {
            throw new IllegalArgumentException(size + " is not divisible by " + heads + " heads");
        }
        this.size = size;
        this.heads = heads;
        query = addChildBlock("query", Linear.builder().setUnits(size).build());
        key = addChildBlock("key", Linear.builder().setUnits(size).build());
        value = addChildBlock("value", Linear.builder().setUnits(size).build());
        output = addChildBlock("output", Linear.builder().setUnits(size).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray queries = inputs.get(0);
        NDArray keysValues = inputs.get(1);
        long batch = queries.getShape().get(0);
        long q = queries.getShape().get(1);
        long k = keysValues.getShape().get(1);
        NDArray qh = split(query.forward(store, new NDList(queries), training).head(), batch, q);
        NDArray kh = split(key.forward(store, new NDList(keysValues), training).head(), batch, k);
        NDArray vh = split(value.forward(store, new NDList(keysValues), training).head(), batch, k);
        NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2))
                .div(GraphScalar.of(qh, (float) Math.sqrt(size / (double) heads)));
        if (inputs.size() > 2) {
            NDArray mask = inputs.get(2);
            scores = scores.add(mask.neg().add(GraphScalar.of(mask, 1f)).mul(GraphScalar.of(mask, MASKED))
                    .reshape(batch, 1, 1, k));
        }
        NDArray weights = scores.softmax(-1);
        NDArray attended = weights.matMul(vh).transpose(0, 2, 1, 3).reshape(batch, q, size);
        return new NDList(output.forward(store, new NDList(attended), training).head(),
                weights.mean(new int[] {1}));
    }

    private NDArray split(NDArray x, long batch, long length) {
        return x.reshape(batch, length, heads, size / heads).transpose(0, 2, 1, 3);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape q = inputShapes[0];
        Shape k = inputShapes[1];
        return new Shape[] {new Shape(q.get(0), q.get(1), size), new Shape(q.get(0), q.get(1), k.get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        query.initialize(manager, dataType, inputShapes[0]);
        key.initialize(manager, dataType, inputShapes[1]);
        value.initialize(manager, dataType, inputShapes[1]);
        output.initialize(manager, dataType, new Shape(inputShapes[0].get(0), inputShapes[0].get(1), size));
    }
}
