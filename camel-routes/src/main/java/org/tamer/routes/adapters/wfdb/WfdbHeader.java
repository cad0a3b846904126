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
 * @param baseTime         time of the first sample, when given
 * @param baseDate         date of the first sample, when given
 * @param signals          one entry per signal line
 * @param comments         the comment lines without their leading {@code #}, in order
 */
public record WfdbHeader(
        String recordName,
        double samplingRateHz,
        Optional<Long> samplesPerSignal,
        Optional<LocalTime> baseTime,
        Optional<LocalDate> baseDate,
        List<WfdbSignalSpec> signals,
        List<String> comments) {

    public WfdbHeader {
        signals = List.copyOf(signals);
        comments = List.copyOf(comments);
    }
}
