package org.tamer.routes.adapters.wfdb;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tamer.routes.adapters.EcgFormatException;

/**
 * Parses the text of a WFDB header (the record line, one line per signal, and {@code #} comment lines, the info
 * strings) as specified in the WFDB "header(5)" manual page. Multi-segment records and multi-frequency signals are
 * refused.
 *
 * <p>Fields that decide what the samples mean (number of signals, sampling frequency, storage format, gain,
 * baseline, units) must be readable. Optional fields that do not change the samples (base time and date,
 * counter frequency, number of samples, ADC resolution, initial value, checksum, block size) are ignored with a
 * warning in {@link WfdbHeader#warnings()} when they cannot be read, so an unusual export never makes a record
 * unreadable. The base time and date are read in the forms of the specification ({@code HH:MM:SS[.sss]},
 * {@code MM:SS}, {@code SS}; {@code DD/MM/YYYY}) and in the forms PhysioNet's tools and challenges wrote, such as
 * Challenge 2020's {@code 05-May-2020 14:50:55} (date before time) and ISO {@code 2020-05-05}.
 */
public final class WfdbHeaderParser {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,4})(?:x(\\d{1,6}))?(?::(\\d{1,9}))?(?:\\+(\\d{1,15}))?");
    private static final Pattern GAIN = Pattern.compile("([-+0-9.eE]+)(?:\\((-?\\d+)\\))?(?:/(\\S+))?");
    private static final Pattern FREQUENCY = Pattern.compile("([0-9.eE+]+)(?:/([^(\\s]+)(?:\\(([^)\\s]*)\\))?)?");
    private static final Pattern TIME = Pattern.compile("(?:(?:(\\d{1,2}):)?(\\d{1,2}):)?(\\d{1,2}(?:\\.\\d{1,9})?)");
    private static final Pattern DATE_SLASHED = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
    private static final Pattern DATE_MONTH_NAME = Pattern.compile("(\\d{1,2})[-/ ]([A-Za-z]{3})[A-Za-z]*[-/ ](\\d{4})");
    private static final Pattern DATE_ISO = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
    private static final double DEFAULT_GAIN = 200.0;
    private static final double DEFAULT_FREQUENCY = 250.0;

    private final WfdbLimits limits;

    /** A parser with the default limits. */
    public WfdbHeaderParser() {
        this(WfdbLimits.defaults());
    }

    public WfdbHeaderParser(WfdbLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * @param text   the whole header
     * @param source the header's file name, used in error messages
     */
    public WfdbHeader parse(String text, String source) {
        if (text.length() > limits.maxHeaderBytes()) {
            throw new EcgFormatException(source, "header", "is " + text.length() + " bytes, over the limit of "
                    + limits.maxHeaderBytes() + " (" + WfdbLimits.MAX_HEADER_BYTES + ")");
        }
        List<String> comments = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String raw : text.split("\\r?\\n|\\r")) {
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
        List<String> warnings = new ArrayList<>();
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
        if (signalCount > limits.maxSignals()) {
            throw new EcgFormatException(source, "record line: number of signals", signalCount
                    + " is over the limit of " + limits.maxSignals() + " (" + WfdbLimits.MAX_SIGNALS + ")");
        }
        double rate = DEFAULT_FREQUENCY;
        if (record.length > 2) {
            rate = parseFrequency(record[2], source, warnings);
        }
        Optional<Long> samples = Optional.empty();
        if (record.length > 3) {
            samples = parseSamples(record[3], warnings);
        }
        Optional<LocalTime> baseTime = Optional.empty();
        Optional<LocalDate> baseDate = Optional.empty();
        for (int i = 4; i < record.length; i++) {
            String token = record[i];
            Optional<LocalTime> time = baseTime.isEmpty() ? parseTime(token) : Optional.empty();
            if (time.isPresent()) {
                baseTime = time;
                continue;
            }
            Optional<LocalDate> date = baseDate.isEmpty() ? parseDate(token) : Optional.empty();
            if (date.isPresent()) {
                baseDate = date;
                continue;
            }
            warnings.add("record line: '" + token + "' is neither a base time (HH:MM:SS) nor a base date "
                    + "(DD/MM/YYYY) and was ignored");
        }
        if (lines.size() - 1 < signalCount) {
            throw new EcgFormatException(source, "signal lines", "record line declares " + signalCount
                    + " signals but " + (lines.size() - 1) + " signal lines follow");
        }
        List<WfdbSignalSpec> signals = new ArrayList<>(signalCount);
        for (int i = 0; i < signalCount; i++) {
            signals.add(parseSignal(lines.get(i + 1), source, i + 1, warnings));
        }
        if (lines.size() - 1 > signalCount) {
            warnings.add((lines.size() - 1 - signalCount) + " line(s) after the " + signalCount
                    + " signal lines were ignored");
        }
        return new WfdbHeader(name, rate, samples, baseTime, baseDate, signals, comments, warnings);
    }

    private static double parseFrequency(String value, String source, List<String> warnings) {
        Matcher m = FREQUENCY.matcher(value);
        if (!m.matches()) {
            throw new EcgFormatException(source, "record line: sampling frequency", "cannot read '" + value + "'");
        }
        double rate = parseDouble(m.group(1), source, "record line: sampling frequency");
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new EcgFormatException(source, "record line: sampling frequency", "must be positive, got "
                    + value);
        }
        if (m.group(2) != null && !isNumber(m.group(2))) {
            warnings.add("record line: counter frequency '" + m.group(2) + "' is not a number and was ignored");
        }
        if (m.group(3) != null && !isNumber(m.group(3))) {
            warnings.add("record line: base counter value '" + m.group(3) + "' is not a number and was ignored");
        }
        return rate;
    }

    private static Optional<Long> parseSamples(String value, List<String> warnings) {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                warnings.add("record line: number of samples per signal " + n + " is negative and was ignored");
                return Optional.empty();
            }
            return n == 0 ? Optional.empty() : Optional.of(n);
        } catch (NumberFormatException e) {
            warnings.add("record line: number of samples per signal '" + value + "' is not an integer and was "
                    + "ignored");
            return Optional.empty();
        }
    }

    /** {@code [[HH:]MM:]SS[.sss]}. */
    static Optional<LocalTime> parseTime(String value) {
        Matcher m = TIME.matcher(value);
        if (!m.matches() || !value.contains(":")) {
            return Optional.empty();
        }
        try {
            int hours = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
            int minutes = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            double seconds = Double.parseDouble(m.group(3));
            int whole = (int) Math.floor(seconds);
            int nanos = (int) Math.min(999_999_999L, Math.round((seconds - whole) * 1e9));
            return Optional.of(LocalTime.of(hours, minutes, whole, nanos));
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code DD/MM/YYYY} (the specification), {@code DD-Mon-YYYY} (Challenge 2020) or ISO {@code YYYY-MM-DD}. */
    static Optional<LocalDate> parseDate(String value) {
        try {
            Matcher slashed = DATE_SLASHED.matcher(value);
            if (slashed.matches()) {
                return Optional.of(LocalDate.of(Integer.parseInt(slashed.group(3)),
                        Integer.parseInt(slashed.group(2)), Integer.parseInt(slashed.group(1))));
            }
            Matcher named = DATE_MONTH_NAME.matcher(value);
            if (named.matches()) {
                return month(named.group(2)).map(month -> LocalDate.of(Integer.parseInt(named.group(3)), month,
                        Integer.parseInt(named.group(1))));
            }
            Matcher iso = DATE_ISO.matcher(value);
            if (iso.matches()) {
                return Optional.of(LocalDate.of(Integer.parseInt(iso.group(1)), Integer.parseInt(iso.group(2)),
                        Integer.parseInt(iso.group(3))));
            }
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<Month> month(String abbreviation) {
        String wanted = abbreviation.toUpperCase(Locale.ROOT);
        for (Month month : Month.values()) {
            if (month.name().startsWith(wanted)) {
                return Optional.of(month);
            }
        }
        return Optional.empty();
    }

    private WfdbSignalSpec parseSignal(String line, String source, int number, List<String> warnings) {
        String field = "signal " + number;
        String[] parts = line.split("\\s+", 9);
        if (parts.length < 2) {
            throw new EcgFormatException(source, field, "needs at least a file name and a format");
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
            if (Double.isNaN(parsed) || Double.isInfinite(parsed)) {
                throw new EcgFormatException(source, field + ": gain", "must be a finite number, got '"
                        + parts[2] + "'");
            }
            gain = parsed == 0 ? DEFAULT_GAIN : parsed;
            if (g.group(2) != null) {
                baseline = parseInt(g.group(2), source, field + ": baseline");
            }
            if (g.group(3) != null) {
                units = g.group(3);
            }
        }
        int resolution = optionalInt(parts, 3, field + ": ADC resolution", warnings).orElse(12);
        Optional<Integer> zero = optionalInt(parts, 4, field + ": ADC zero", warnings);
        if (baseline == null && zero.isEmpty() && parts.length > 4) {
            throw new EcgFormatException(source, field + ": ADC zero", "cannot read '" + parts[4]
                    + "' and no baseline is given, so the signal's zero is unknown");
        }
        Optional<Integer> initial = optionalInt(parts, 5, field + ": initial value", warnings);
        Optional<Integer> checksum = optionalInt(parts, 6, field + ": checksum", warnings);
        optionalInt(parts, 7, field + ": block size", warnings);
        String description = parts.length > 8 ? parts[8].strip() : "";
        int adcZero = zero.orElse(0);
        return new WfdbSignalSpec(parts[0], storageFormat, offset, gain, baseline == null ? adcZero : baseline,
                units, resolution, adcZero, initial, checksum, description);
    }

    private static Optional<Integer> optionalInt(String[] parts, int index, String field, List<String> warnings) {
        if (parts.length <= index) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(parts[index]));
        } catch (NumberFormatException e) {
            warnings.add(field + " '" + parts[index] + "' is not an integer and was ignored");
            return Optional.empty();
        }
    }

    private static boolean isNumber(String value) {
        if (value.isEmpty()) {
            return true;
        }
        try {
            Double.parseDouble(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static int parseInt(String value, String source, String field) {
        try {
            return Integer.parseInt(value);
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
