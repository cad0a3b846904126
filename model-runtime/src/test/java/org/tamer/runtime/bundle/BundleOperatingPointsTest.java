package org.tamer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.inference.OperatingPoints;

/** Operating points in {@code bundle.json}: written and read back, absent from format 1 bundles, checked. */
class BundleOperatingPointsTest {

    private static final Path DEFAULT = Path.of(System.getProperty("tamer.repository.root", ".."))
            .resolve("models/tamer-ptbxl-default/bundle.json");

    private static String defaultJson() throws IOException {
        return Files.readString(DEFAULT);
    }

    @Test
    void roundTripKeepsThresholdsAndMethod() throws IOException {
        BundleManifest read = BundleJson.read(defaultJson(), "default");
        OperatingPoints points = new OperatingPoints(Map.of("NORM", 0.41, "MI", 0.17), "Youden's J on a test split");
        BundleManifest again = BundleJson.read(BundleJson.write(read.withOperatingPoints(points)), "written");
        assertEquals(points.thresholds(), again.operatingPoints().thresholds());
        assertEquals(points.method(), again.operatingPoints().method());
        assertEquals(0.5, again.operatingPoints().thresholdOf("HYP"), "a class without one: 0.5");
    }

    @Test
    void aFormatOneBundleHasNoOperatingPoints() throws IOException {
        JsonObject json = JsonParser.parseString(defaultJson()).getAsJsonObject();
        json.addProperty("formatVersion", 1);
        json.remove("operatingPointMethod");
        json.getAsJsonArray("classes").forEach(c -> c.getAsJsonObject().remove("operatingPoint"));
        BundleManifest read = BundleJson.read(json.toString(), "format 1");
        assertEquals(OperatingPoints.NONE, read.operatingPoints());
    }

    @Test
    void aThresholdOutsideZeroToOneOrForAnUnknownClassIsRefused() throws IOException {
        BundleManifest read = BundleJson.read(defaultJson(), "default");
        assertThrows(IllegalArgumentException.class,
                () -> read.withOperatingPoints(new OperatingPoints(Map.of("NORM", 1.0), "")));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> read.withOperatingPoints(new OperatingPoints(Map.of("AFIB", 0.3), "")));
        assertTrue(unknown.getMessage().contains("AFIB"), unknown.getMessage());
    }
}
