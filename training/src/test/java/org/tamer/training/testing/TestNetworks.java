package org.tamer.training.testing;

import org.tamer.runtime.network.TamerConfig;

/** Reduced TAMER configurations that keep the paper's structure but run fast on a CPU. */
public final class TestNetworks {

    /** The compact network (one block per ResNet stage, narrow channels, D = 32) over 12 × 5000 input. */
    public static final TamerConfig SMALL = TamerConfig.compact(384);

    private TestNetworks() {
    }
}
