package org.tamer.routes.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HL7 v2 DTM values (chapter 2A): what a time with an offset means, and that an impossible one is no time. */
class Hl7TimeTest {

    @Test
    void readsPrecisionAndOffset() {
        assertEquals(Optional.of(OffsetDateTime.of(1984, 11, 9, 9, 17, 34, 0, ZoneOffset.UTC)),
                Hl7Time.parse("19841109091734.000+0000"));
        assertEquals(Optional.of(OffsetDateTime.of(2026, 12, 6, 14, 30, 0, 500_000_000, ZoneOffset.ofHoursMinutes(5,
                30))), Hl7Time.parse("20261206143000.5+0530"));
        assertEquals(Optional.of(OffsetDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneOffset.UTC)),
                Hl7Time.parse("202612"));
        assertEquals(Optional.of(OffsetDateTime.of(2026, 12, 6, 12, 0, 0, 0, ZoneOffset.UTC)),
                Hl7Time.parse("2026120612"));
    }

    /** Found by the long fuzz run: +0095 threw DateTimeException out of the reader (a 500 at the HTTP intake). */
    @ParameterizedTest
    @ValueSource(strings = {"19841109091734.000+0095", "19841109091734-1900", "20261306", "20260230",
            "20261206250000", "not a time"})
    void impossibleTimesAreNoTime(String value) {
        assertEquals(Optional.empty(), Hl7Time.parse(value), value);
    }
}
