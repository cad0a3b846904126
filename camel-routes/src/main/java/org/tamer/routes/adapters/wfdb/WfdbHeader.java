package org.tamer.routes.adapters.wfdb;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;

/**
 * A parsed WFDB header ({@code .hea}) of a single-segment record.
 *
 * @param recordName       the record's name
 * @param samplingRateHz   samples per second per signal
 * @param samplesPerSignal samples per signal, when the header gives it
 * @param baseTime         time of the first sample, when given and readable
 * @param baseDate         date of the first sample, when given and readable
 * @param signals          one entry per signal line
 * @param comments         the comment lines without their leading {@code #}, in order (info strings included)
 * @param warnings         optional fields that were present but could not be read and were ignored, each naming
 *                         the field and its value
 */
public record WfdbHeader(
        String recordName,
        double samplingRateHz,
        Optional<Long> samplesPerSignal,
        Optional<LocalTime> baseTime,
        Optional<LocalDate> baseDate,
        List<WfdbSignalSpec> signals,
        List<String> comments,
        List<String> warnings) {

    public WfdbHeader {
        signals = List.copyOf(signals);
        comments = List.copyOf(comments);
        warnings = List.copyOf(warnings);
    }

    /** A header without warnings. */
    public WfdbHeader(String recordName, double samplingRateHz, Optional<Long> samplesPerSignal,
                      Optional<LocalTime> baseTime, Optional<LocalDate> baseDate, List<WfdbSignalSpec> signals,
                      List<String> comments) {
        this(recordName, samplingRateHz, samplesPerSignal, baseTime, baseDate, signals, comments, List.of());
    }
}
