package org.tamer.runtime.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The spectral encoder: a small residual 2-D CNN over the spectrogram {@code [batch, leads, bins, frames]}. A 3×3
 * stem, then one basic block per further channel width, halving the frequency axis from the second block on and
 * keeping every time frame. The frequency axis is then averaged away, leaving local features l^f as a sequence
 * over time frames: {@code [batch, channels, frames]} (384 × 81 in the paper's configuration, ~3.5 M parameters).
 */
public final class SpectrogramCnnEncoder extends AbstractBlock {

    private final ResidualTrunk trunk;

    public SpectrogramCnnEncoder(TamerConfig config) {
        List<Integer> channels = config.spectrogramChannels();
        Block stem = addChildBlock("stem", ResidualBlock.conv(2, channels.get(0), 3, 1, 1, 1));
        Block stemNorm = addChildBlock("stem_bn", BatchNorm.builder().build());
        List<Block> blocks = new ArrayList<>();
        for (int i = 1; i < channels.size(); i++) {
            long frequencyStride = i == 1 ? 1 : 2;
            blocks.add(addChildBlock("block" + i, new ResidualBlock(2, channels.get(i - 1), channels.get(i),
                    frequencyStride, 1)));
        }
        trunk = new ResidualTrunk(stem, stemNorm, blocks);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = trunk.forward(store, inputs, training);
        return new NDList(Intermediates.replace(x, x.mean(new int[] {2})));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = trunk.outputShapes(inputShapes)[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        trunk.initialize(manager, dataType, inputShapes);
    }
}
