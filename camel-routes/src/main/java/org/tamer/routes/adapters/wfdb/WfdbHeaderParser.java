package org.tamer.routes.adapters.wfdb;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tamer.routes.adapters.EcgFormatException;

/**
 * Parses the text of a WFDB header (the record line, one line per signal, and {@code #} comment lines) as
 * specified in the WFDB "header(5)" manual page. Multi-segment records and multi-frequency signals are refused.
 */
public final class WfdbHeaderParser {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)(?:x(\\d+))?(?::(\\d+))?(?:\\+(\\d+))?");
    private static final Pattern GAIN = Pattern.compile("([-+0-9.eE]+)(?:\\((-?\\d+)\\))?(?:/(\\S+))?");
    private static final Pattern FREQUENCY = Pattern.compile("([0-9.eE+]+)(?:/([0-9.eE+]+)(?:\\(([-0-9.eE+]+)\\))?)?");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d/M/yyyy");
    private static final double DEFAULT_GAIN = 200.0;
    private static final double DEFAULT_FREQUENCY = 250.0;

    /**
     * @param text   the whole header
     * @param source the header's file name, used in error messages
     */
    public WfdbHeader parse(String text, String source) {
        List<String> comments = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String raw : text.split("\\r?\\n")) {
            String line = raw.strip();
            if (line.startsWith("#")) {
                comments.add(line.substring(1).strip());
            } else if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        if (lines.isEmpty()) {
            throw new EcgFormatException(source, "record line", "header has no record line");
        }
        String[] record = lines.get(0).split("\\s+");
        String name = record[0];
        if (name.contains("/")) {
            throw new EcgFormatException(source, "record line", "multi-segment record '" + name
                    + "' is not supported; read its segments as separate records");
        }
        if (record.length < 2) {
            throw new EcgFormatException(source, "record line", "number of signals is missing");
        }
        int signalCount = parseInt(record[1], source, "record line: number of signals");
        if (signalCount < 1) {
            throw new EcgFormatException(source, "record line: number of signals", "must be at least 1, got "
                    + signalCount);
        }
        double rate = DEFAULT_FREQUENCY;
        if (record.length > 2) {
            Matcher m = FREQUENCY.matcher(record[2]);
            if (!m.matches()) {
                throw new EcgFormatException(source, "record line: sampling frequency", "cannot read '"
                        + record[2] + "'");
            }
            rate = parseDouble(m.group(1), source, "record line: sampling frequency");
            if (!(rate > 0)) {
                throw new EcgFormatException(source, "record line: sampling frequency", "must be positive, got "
                        + record[2]);
            }
        }
        Optional<Long> samples = Optional.empty();
        if (record.length > 3) {
            long n = parseLong(record[3], source, "record line: samples per signal");
            if (n < 0) {
                throw new EcgFormatException(source, "record line: samples per signal", "negative: " + n);
            }
            samples = n == 0 ? Optional.empty() : Optional.of(n);
        }
        Optional<LocalTime> baseTime = Optional.empty();
        if (record.length > 4) {
            baseTime = Optional.of(parseTime(record[4], source));
        }
        Optional<LocalDate> baseDate = Optional.empty();
        if (record.length > 5) {
            try {
                baseDate = Optional.of(LocalDate.parse(record[5], DATE));
            } catch (DateTimeParseException e) {
                throw new EcgFormatException(source, "record line: base date", "cannot read '" + record[5]
                        + "' as DD/MM/YYYY", e);
            }
        }
        if (lines.size() - 1 < signalCount) {
            throw new EcgFormatException(source, "signal lines", "record line declares " + signalCount
                    + " signals but " + (lines.size() - 1) + " signal lines follow");
        }
        List<WfdbSignalSpec> signals = new ArrayList<>(signalCount);
        for (int i = 0; i < signalCount; i++) {
            signals.add(parseSignal(lines.get(i + 1), source, i + 1));
        }
        return new WfdbHeader(name, rate, samples, baseTime, baseDate, signals, comments);
    }

    private WfdbSignalSpec parseSignal(String line, String source, int number) {
        String field = "signal " + number;
        String[] parts = line.split("\\s+", 9);
        if (parts.length < 2) {
            throw new EcgFormatException(source, field, "needs at least a file name and a format: '" + line + "'");
        }
        Matcher format = FORMAT.matcher(parts[1]);
        if (!format.matches()) {
            throw new EcgFormatException(source, field + ": format", "cannot read '" + parts[1] + "'");
        }
        if (format.group(2) != null && Integer.parseInt(format.group(2)) != 1) {
            throw new EcgFormatException(source, field + ": format", "multi-frequency signals ("
                    + parts[1] + ") are not supported");
        }
        if (format.group(3) != null && Integer.parseInt(format.group(3)) != 0) {
            throw new EcgFormatException(source, field + ": format", "skewed signals (" + parts[1]
                    + ") are not supported");
        }
        int storageFormat = Integer.parseInt(format.group(1));
        long offset = format.group(4) == null ? 0 : Long.parseLong(format.group(4));

        double gain = DEFAULT_GAIN;
        String units = "mV";
        Integer baseline = null;
        if (parts.length > 2) {
            Matcher g = GAIN.matcher(parts[2]);
            if (!g.matches()) {
                throw new EcgFormatException(source, field + ": gain", "cannot read '" + parts[2] + "'");
            }
            double parsed = parseDouble(g.group(1), source, field + ": gain");
            gain = parsed == 0 ? DEFAULT_GAIN : parsed;
            if (g.group(2) != null) {
                baseline = Integer.parseInt(g.group(2));
            }
            if (g.group(3) != null) {
                units = g.group(3);
            }
        }
        int resolution = parts.length > 3 ? parseInt(parts[3], source, field + ": ADC resolution") : 12;
        int zero = parts.length > 4 ? parseInt(parts[4], source, field + ": ADC zero") : 0;
        Optional<Integer> initial = parts.length > 5
                ? Optional.of(parseInt(parts[5], source, field + ": initial value")) : Optional.empty();
        Optional<Integer> checksum = parts.length > 6
                ? Optional.of(parseInt(parts[6], source, field + ": checksum")) : Optional.empty();
        String description = parts.length > 8 ? parts[8].strip() : "";
        return new WfdbSignalSpec(parts[0], storageFormat, offset, gain, baseline == null ? zero : baseline, units,
                resolution, zero, initial, checksum, description);
    }

    private static LocalTime parseTime(String value, String source) {
        String[] hms = value.split(":");
        try {
            double seconds = Double.parseDouble(hms[hms.length - 1]);
            int minutes = hms.length > 1 ? Integer.parseInt(hms[hms.length - 2]) : 0;
            int hours = hms.length > 2 ? Integer.parseInt(hms[hms.length - 3]) : 0;
            long nanos = Math.round((seconds - Math.floor(seconds)) * 1e9);
            return LocalTime.of(hours, minutes, (int) Math.floor(seconds), (int) nanos);
        } catch (RuntimeException e) {
            throw new EcgFormatException(source, "record line: base time", "cannot read '" + value
                    + "' as HH:MM:SS", e);
        }
    }

    private static int parseInt(String value, String source, String field) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new EcgFormatException(source, field, "not an integer: '" + value + "'", e);
        }
    }

    private static long parseLong(String value, String source, String field) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new EcgFormatException(source, field, "not an integer: '" + value + "'", e);
        }
    }

    private static double parseDouble(String value, String source, String field) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new EcgFormatException(source, field, "not a number: '" + value + "'", e);
        }
    }
}
