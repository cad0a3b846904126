package org.tamer.gateway.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code tamer.model.*}: optional texts left empty in the configuration file stay empty strings (the file's
 * {@code ""} may bind as null), and values the gateway cannot serve with are refused naming the key. Binding itself
 * is exercised by every test that starts the gateway ({@code DiagnoseBackPressureTest} relies on a queue capacity
 * of 2 being bound).
 */
class ModelSettingsTest {

    private static final Duration S = Duration.ofSeconds(1);
    private static final String SYSTEM = "https://tamer-ecg.org/fhir/CodeSystem/ptbxl-statement";

    @Test
    void emptyOptionalTextsAreEmptyStrings() {
        ModelSettings settings = new ModelSettings("models/x", null, S, 4, S, SYSTEM, "NORM", null, null, null);
        assertEquals("", settings.operatingPoints());
        assertEquals("", settings.cardUrl());
        assertEquals("", settings.intendedUse());
        assertEquals("auto", settings.maxBatch());
    }

    @Test
    void unusableValuesAreRefusedNamingTheKey() {
        assertEquals("tamer.model.queue-capacity must be at least 1: 0", assertThrows(IllegalArgumentException.class,
                () -> new ModelSettings("models/x", "auto", S, 0, S, SYSTEM, "NORM", "", "", "")).getMessage());
        assertEquals("tamer.model.bundle must not be empty", assertThrows(IllegalArgumentException.class,
                () -> new ModelSettings(" ", "auto", S, 4, S, SYSTEM, "NORM", "", "", "")).getMessage());
        assertEquals("tamer.model.reload-interval must be positive: PT0S", assertThrows(IllegalArgumentException.class,
                () -> new ModelSettings("models/x", "auto", S, 4, Duration.ZERO, SYSTEM, "NORM", "", "", ""))
                .getMessage());
    }
}
