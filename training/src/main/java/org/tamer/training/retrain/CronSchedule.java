package org.tamer.training.retrain;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A five-field cron expression (minute, hour, day of month, month, day of week; {@code *}, lists, ranges and
 * steps such as {@code 0 3 * * 1-5} or {@code *&#47;15 * * * *}), and the next time it fires. Day of week 0 and 7
 * are Sunday. When both day fields are restricted, either may match, as in classic cron.
 */
public final class CronSchedule {

    private final String expression;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet weekdays;
    private final boolean anyDay;
    private final boolean anyWeekday;

    public CronSchedule(String expression) {
        this.expression = expression;
        String[] f = expression.trim().split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("cron expression '" + expression
                    + "' needs five fields: minute hour day-of-month month day-of-week");
        }
        minutes = field(f[0], 0, 59, "minute");
        hours = field(f[1], 0, 23, "hour");
        days = field(f[2], 1, 31, "day of month");
        months = field(f[3], 1, 12, "month");
        weekdays = field(f[4], 0, 7, "day of week");
        if (weekdays.get(7)) {
            weekdays.set(0);
        }
        anyDay = f[2].equals("*");
        anyWeekday = f[4].equals("*");
    }

    /** The first firing time strictly after {@code after}, at second zero. */
    public ZonedDateTime next(ZonedDateTime after) {
        ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        for (int i = 0; i < 366 * 24 * 60 * 5; i++) {
            if (months.get(t.getMonthValue()) && dayMatches(t) && hours.get(t.getHour())
                    && minutes.get(t.getMinute())) {
                return t;
            }
            t = t.plusMinutes(1);
        }
        throw new IllegalArgumentException("cron expression '" + expression + "' never fires");
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean day = days.get(t.getDayOfMonth());
        boolean weekday = weekdays.get(t.getDayOfWeek().getValue() % 7);
        if (anyDay && anyWeekday) {
            return true;
        }
        if (anyDay) {
            return weekday;
        }
        if (anyWeekday) {
            return day;
        }
        return day || weekday;
    }

    private BitSet field(String text, int min, int max, String name) {
        BitSet bits = new BitSet(max + 1);
        for (String part : text.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), name);
                range = part.substring(0, slash);
                if (step < 1) {
                    throw new IllegalArgumentException("cron " + name + ": step must be positive in '" + part + "'");
                }
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                from = number(range.substring(0, range.indexOf('-')), name);
                to = number(range.substring(range.indexOf('-') + 1), name);
            } else {
                from = number(range, name);
                to = slash >= 0 ? max : from;
            }
            if (from < min || to > max || from > to) {
                throw new IllegalArgumentException("cron " + name + ": '" + part + "' is outside " + min + "-" + max);
            }
            for (int v = from; v <= to; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private int number(String text, String name) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cron " + name + ": '" + text + "' is not a number in '" + expression
                    + "'", e);
        }
    }

    @Override
    public String toString() {
        return expression;
    }
}
