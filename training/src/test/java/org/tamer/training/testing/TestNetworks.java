package org.tamer.training.testing;

import java.util.List;
import org.tamer.runtime.network.TamerConfig;

/** Reduced TAMER configurations that keep the paper's structure but run fast on a CPU. */
public final class TestNetworks {

    /** The paper's shape with one block per ResNet stage, narrow channels and D = 32, over 12 × 5000 input. */
    public static final TamerConfig SMALL = new TamerConfig(12, 5000, 63, 81, List.of(1, 1, 1, 1),
            List.of(8, 16, 16, 32), List.of(8, 8, 16, 16), 32, 4, 384, true, true);

    private TestNetworks() {
    }
}
