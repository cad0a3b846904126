package org.tamer.runtime.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * The shared body of both encoders: a stem convolution, batch norm and ReLU, then residual blocks. It holds the
 * encoder's child blocks but is not a block itself, so the encoders' parameter names and order (and every
 * published bundle) stay as they are.
 */
record ResidualTrunk(Block stem, Block stemNorm, List<Block> blocks) {

    ResidualTrunk {
        blocks = List.copyOf(blocks);
    }

    /** The last block's output; each intermediate array is freed once the next layer has consumed it. */
    NDArray forward(ParameterStore store, NDList inputs, boolean training) {
        NDArray x = stem.forward(store, inputs, training).head();
        x = Intermediates.replace(x, stemNorm.forward(store, new NDList(x), training).head());
        x = Intermediates.replace(x, Activation.relu(x));
        for (Block block : blocks) {
            x = Intermediates.replace(x, block.forward(store, new NDList(x), training).head());
        }
        return x;
    }

    Shape[] outputShapes(Shape[] inputShapes) {
        Shape[] shapes = stem.getOutputShapes(inputShapes);
        for (Block block : blocks) {
            shapes = block.getOutputShapes(shapes);
        }
        return shapes;
    }

    void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        stem.initialize(manager, dataType, inputShapes);
        Shape[] shapes = stem.getOutputShapes(inputShapes);
        stemNorm.initialize(manager, dataType, shapes);
        for (Block block : blocks) {
            block.initialize(manager, dataType, shapes);
            shapes = block.getOutputShapes(shapes);
        }
    }
}
