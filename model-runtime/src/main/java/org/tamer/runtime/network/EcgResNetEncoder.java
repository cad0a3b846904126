package org.tamer.runtime.network;

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
 * The temporal encoder: a 1-D ResNet over the waveform {@code [batch, leads, samples]}. Stem Conv1d(k7, s2, p3) +
 * BN + ReLU (no max-pool), then basic blocks in stages with strides 1, 2, 2, 2. For the paper's ResNet-34 over
 * 12 × 5000 the output, the local features l^t, is {@code [batch, 512, 313]}.
 */
public final class EcgResNetEncoder extends AbstractBlock {

    private final ResidualTrunk trunk;

    public EcgResNetEncoder(TamerConfig config) {
        int width = config.ecgChannels().get(0);
        Block stem = addChildBlock("stem", ResidualBlock.conv(1, width, 7, 3, 2));
        Block stemNorm = addChildBlock("stem_bn", BatchNorm.builder().build());
        List<Block> blocks = new ArrayList<>();
        int in = width;
        for (int stage = 0; stage < config.stageBlocks().size(); stage++) {
            int out = config.ecgChannels().get(stage);
            for (int b = 0; b < config.stageBlocks().get(stage); b++) {
                long stride = stage > 0 && b == 0 ? 2 : 1;
                blocks.add(addChildBlock("layer" + (stage + 1) + "_" + b, new ResidualBlock(1, in, out, stride)));
                in = out;
            }
        }
        trunk = new ResidualTrunk(stem, stemNorm, blocks);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(trunk.forward(store, inputs, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return trunk.outputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        trunk.initialize(manager, dataType, inputShapes);
    }
}
