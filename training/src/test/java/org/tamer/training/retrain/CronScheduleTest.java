package org.tamer.training.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final ZonedDateTime TUESDAY = ZonedDateTime.parse("2026-11-24T09:50:30Z");

    @Test
    void findsTheNextFiringTime() {
        assertEquals(ZonedDateTime.parse("2026-11-25T03:00Z"), new CronSchedule("0 3 * * *").next(TUESDAY));
        assertEquals(ZonedDateTime.parse("2026-11-24T10:00Z"), new CronSchedule("*/15 * * * *").next(TUESDAY));
        assertEquals(ZonedDateTime.parse("2026-11-29T02:30Z"), new CronSchedule("30 2 * * 0").next(TUESDAY));
        assertEquals(ZonedDateTime.parse("2026-11-29T02:30Z"), new CronSchedule("30 2 * * 7").next(TUESDAY));
        assertEquals(ZonedDateTime.parse("2026-12-01T00:00Z"), new CronSchedule("0 0 1 * *").next(TUESDAY));
        assertEquals(ZonedDateTime.parse("2026-11-24T12:05Z"), new CronSchedule("5 12,18 * * 1-5").next(TUESDAY));
    }

    @Test
    void namesTheBadField() {
        assertEquals("cron hour: '25' is outside 0-23", assertThrows(IllegalArgumentException.class,
                () -> new CronSchedule("0 25 * * *")).getMessage());
        assertEquals("cron expression '0 3 * *' needs five fields: minute hour day-of-month month day-of-week",
                assertThrows(IllegalArgumentException.class, () -> new CronSchedule("0 3 * *")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CronSchedule("0 0 31 2 *").next(TUESDAY));
    }
}
