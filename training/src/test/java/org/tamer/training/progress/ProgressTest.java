package org.tamer.training.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void rateAndEtaCountOnlyTheWorkOfThisRun() {
        AtomicLong nanos = new AtomicLong();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Progress fresh = new Progress("pretrain", "steps", 220, 0, out, nanos::get, 1);
        Progress resumed = new Progress("pretrain", "steps", 220, 88, out, nanos::get, 1);
        nanos.set(80_000_000_000L);
        assertEquals("pretrain  10/220    5%  0.13 steps/s  ETA 0:28:00", fresh.line(10, nanos.get()));
        assertEquals("pretrain  98/220   45%  0.13 steps/s  ETA 0:16:16", resumed.line(98, nanos.get()),
                "ten steps in 80 s after resuming at 88: 122 steps left at 8 s each");
        assertEquals("build  500/1000   50%  12.5 records/s  ETA 0:00:40",
                new Progress("build", "records", 1000, 0, out, nanos::get, 1).line(500, 120_000_000_000L), "started at 80 s, 500 records 40 s later");
    }
}
