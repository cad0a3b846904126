package org.tamer.training.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A progress line with rate and ETA for long jobs, printed at most once per interval (and at the end):
 * {@code build-dataset  240/500  48%  35.1 records/s  ETA 0:00:07}.
 */
public final class Progress {

    private final String task;
    private final String unit;
    private final long total;
    private final PrintStream out;
    private final LongSupplier clock;
    private final long intervalNanos;
    private final long start;
    private final long alreadyDone;
    private long lastPrint;

    public Progress(String task, String unit, long total, PrintStream out) {
        this(task, unit, total, 0, out, System::nanoTime, 2_000_000_000L);
    }

    /** A job resumed with {@code alreadyDone} units complete: the rate and ETA count only this run's work. */
    public static Progress resumed(String task, String unit, long total, long alreadyDone, PrintStream out) {
        return new Progress(task, unit, total, alreadyDone, out, System::nanoTime, 2_000_000_000L);
    }

    Progress(String task, String unit, long total, long alreadyDone, PrintStream out, LongSupplier clock,
             long intervalNanos) {
        this.task = Objects.requireNonNull(task, "task");
        this.unit = Objects.requireNonNull(unit, "unit");
        this.total = total;
        this.out = Objects.requireNonNull(out, "out");
        this.clock = clock;
        this.intervalNanos = intervalNanos;
        this.alreadyDone = alreadyDone;
        this.start = clock.getAsLong();
        this.lastPrint = start;
    }

    /** Reports that {@code done} units are complete; prints when the interval has passed or the job is done. */
    public void update(long done) {
        update(done, "");
    }

    /** As {@link #update(long)}, with {@code detail} (the last loss, throughput) after the rate and ETA. */
    public void update(long done, String detail) {
        long now = clock.getAsLong();
        if (done < total && now - lastPrint < intervalNanos) {
            return;
        }
        lastPrint = now;
        out.println(detail.isEmpty() ? line(done, now) : line(done, now) + "  " + detail);
    }

    String line(long done, long now) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        double rate = Math.max(0, done - alreadyDone) / seconds;
        String eta = rate > 0 && total > 0 ? duration((long) ((total - done) / rate)) : "?";
        return String.format(Locale.ROOT, "%s  %d/%d  %3.0f%%  " + (rate < 10 ? "%.2f" : "%.1f") + " %s/s  ETA %s",
                task, done, total, total > 0 ? 100.0 * done / total : 0, rate, unit, eta);
    }

    static String duration(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
