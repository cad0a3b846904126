package org.tamer.runtime.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlopCountTest {

    @Test
    void countsASingleStageNetworkByHand() {
        // 12 x 100 input: stem k7 s2 -> 50 samples x 16 channels; one stage, one block, 16 -> 16 channels, stride 1
        TamerConfig tiny = new TamerConfig(12, 100, 63, 81, List.of(1), List.of(16), List.of(16, 16), 8, 2, 16,
                false, false);
        Map<String, Long> macs = FlopCount.macsPerEcg(tiny);
        assertEquals(50L * 16 * 12 * 7 + 2L * 50 * 16 * 16 * 3, macs.get("ecg_encoder"));
        assertEquals(16L * 8 * (50 + 1), macs.get("temporal_projections"));
        assertEquals(2 * (macs.get("ecg_encoder") + macs.get("temporal_projections")), FlopCount.flopsPerEcg(tiny));
    }

    @Test
    void thePaperNetworkNeedsAboutTenGigaflopsPerEcg() {
        Map<String, Long> macs = FlopCount.macsPerEcg(TamerConfig.paper(384));
        macs.forEach((name, count) -> System.out.printf("%-22s %,16d MAC%n", name, count));
        long flops = FlopCount.flopsPerEcg(TamerConfig.paper(384));
        System.out.printf("%-22s %,16d FLOP%n", "total", flops);
        assertTrue(flops > 5e9 && flops < 20e9, "FLOPs per ECG " + flops);
    }
}
