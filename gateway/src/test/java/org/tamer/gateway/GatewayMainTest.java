package org.tamer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.GatewayMain.DemoOptions;
import org.tamer.gateway.GatewayMain.GatewayDemo;
import org.tamer.runtime.testdata.SharedData;

class GatewayMainTest {

    @Test
    void summarisesARealRecordThroughAdaptersPreprocessingAndSpectrogram() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DemoOptions options = DemoOptions.parse(new String[] {"--record", "7"}, null, SharedData.root().toString());
        new GatewayDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(options);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("record        ptbxl-7 from PTB-XL "), out);
        assertTrue(out.contains("12 leads [I, II, III, aVR, aVL, aVF, V1, V2, V3, V4, V5, V6] x 5000 samples at 500 Hz"),
                out);
        assertTrue(out.contains("spectrogram   12 x 63 x 81 (leads x bins 0-248 Hz x frames)"), out);
        assertTrue(out.contains("engine        PyTorch 2.7.1 on "), out);
        assertTrue(out.contains("zero-shot     tamer-ptbxl-default 0.1.0"), out);
        assertTrue(out.contains("  NORM   "), out);
    }

    @Test
    void explainsBadArgumentsAndMissingData(@TempDir Path empty) {
        String data = SharedData.root().toString();
        assertEquals("unknown argument '--port'; usage: [--data DIR] [--record ECG_ID] [--bundle DIR]",
                assertThrows(IllegalArgumentException.class,
                        () -> DemoOptions.parse(new String[] {"--port", "1"}, null, data)).getMessage());
        assertEquals("--record takes a PTB-XL ecg_id, got 'one'", assertThrows(IllegalArgumentException.class,
                () -> DemoOptions.parse(new String[] {"--record", "one"}, null, data)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DemoOptions.parse(new String[0], empty.toString(), data)).getMessage()
                .startsWith("no PTB-XL data at " + empty));
        assertEquals(Path.of(data), DemoOptions.parse(new String[] {"--data", data}, null, null).dataDirectory());
    }
}
