package org.tamer.routes.hl7;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the voltage unit of a waveform (MDC code, unit name or a UCUM expression such as 10.mV/4096) as millivolts. */
final class WaveformUnits {

    private static final Pattern UCUM = Pattern.compile("(?:(\\d+(?:\\.\\d+)?)\\.)?(nV|uV|µV|mV|V)(?:/(\\d+(?:\\.\\d+)?))?");

    private WaveformUnits() {
    }

    /**
     * Millivolts per unit for one candidate (an identifier or a text), or empty if it is no voltage unit. MDC codes
     * are those of ISO/IEEE 11073-10101 partition 4 (dimensions, 262144 + code): MDC_DIM_X_VOLT 4256, with the
     * decimal prefixes milli +18, micro +19, nano +20.
     */
    static Optional<Double> millivolts(String unit) {
        String u = unit.strip();
        switch (u.toUpperCase(Locale.ROOT)) {
            case "266419", "MDC_DIM_MICRO_VOLT", "MICROVOLT", "MICROVOLTS" -> {
                return Optional.of(0.001);
            }
            case "266418", "MDC_DIM_MILLI_VOLT", "MILLIVOLT", "MILLIVOLTS" -> {
                return Optional.of(1.0);
            }
            case "266420", "MDC_DIM_NANO_VOLT", "NANOVOLT", "NANOVOLTS" -> {
                return Optional.of(1e-6);
            }
            case "266400", "MDC_DIM_X_VOLT", "MDC_DIM_VOLT", "VOLT", "VOLTS" -> {
                return Optional.of(1000.0);
            }
            default -> {
            }
        }
        Matcher m = UCUM.matcher(u);
        if (!m.matches()) {
            return Optional.empty();
        }
        double factor = m.group(1) == null ? 1 : Double.parseDouble(m.group(1));
        double divisor = m.group(3) == null ? 1 : Double.parseDouble(m.group(3));
        double base = switch (m.group(2)) {
            case "nV" -> 1e-6;
            case "uV", "µV" -> 1e-3;
            case "mV" -> 1;
            default -> 1000;
        };
        if (divisor == 0) {
            return Optional.empty();
        }
        return Optional.of(factor * base / divisor);
    }
}
