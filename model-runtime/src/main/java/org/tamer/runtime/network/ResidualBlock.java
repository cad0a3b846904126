package org.tamer.runtime.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * ResNet's basic block in one or two dimensions: conv3–BN–ReLU–conv3–BN plus the shortcut (a strided 1×1
 * convolution with BN when the shape changes), then ReLU.
 */
final class ResidualBlock extends AbstractBlock {

    private final Block conv1;
    private final Block norm1;
    private final Block conv2;
    private final Block norm2;
    private final Block shortcut;

    /**
     * @param dimensions 1 (waveform) or 2 (spectrogram)
     * @param stride     stride per spatial dimension
     */
    ResidualBlock(int dimensions, int inChannels, int outChannels, long... stride) {
        conv1 = addChildBlock("conv1", conv(dimensions, outChannels, 3, 1, stride));
        norm1 = addChildBlock("bn1", BatchNorm.builder().build());
        conv2 = addChildBlock("conv2", conv(dimensions, outChannels, 3, 1, ones(dimensions)));
        norm2 = addChildBlock("bn2", BatchNorm.builder().build());
        boolean strided = false;
        for (long s : stride) {
            strided |= s != 1;
        }
        shortcut = strided || inChannels != outChannels
                ? addChildBlock("downsample", new SequentialBlock()
                        .add(conv(dimensions, outChannels, 1, 0, stride))
                        .add(BatchNorm.builder().build()))
                : null;
    }

    static Block conv(int dimensions, int filters, int kernel, int padding, long... stride) {
        long[] k = new long[dimensions];
        long[] p = new long[dimensions];
        java.util.Arrays.fill(k, kernel);
        java.util.Arrays.fill(p, padding);
        return dimensions == 1
                ? Conv1d.builder().setKernelShape(new Shape(k)).optStride(new Shape(stride)).optPadding(new Shape(p))
                        .setFilters(filters).optBias(false).build()
                : Conv2d.builder().setKernelShape(new Shape(k)).optStride(new Shape(stride)).optPadding(new Shape(p))
                        .setFilters(filters).optBias(false).build();
    }

    static long[] ones(int dimensions) {
        long[] s = new long[dimensions];
        java.util.Arrays.fill(s, 1);
        return s;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray y = conv1.forward(store, new NDList(x), training).head();
        y = Intermediates.replace(y, norm1.forward(store, new NDList(y), training).head());
        y = Intermediates.replace(y, Activation.relu(y));
        y = Intermediates.replace(y, conv2.forward(store, new NDList(y), training).head());
        y = Intermediates.replace(y, norm2.forward(store, new NDList(y), training).head());
        if (shortcut == null) {
            y = Intermediates.replace(y, y.add(x));
        } else {
            NDArray identity = shortcut.forward(store, new NDList(x), training).head();
            y = Intermediates.replace(y, y.add(identity));
            identity.close();
        }
        return new NDList(Intermediates.replace(y, Activation.relu(y)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv1.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] out = conv1.getOutputShapes(inputShapes);
        norm1.initialize(manager, dataType, out);
        conv2.initialize(manager, dataType, out);
        norm2.initialize(manager, dataType, out);
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
        }
    }
}
