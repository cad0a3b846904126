package org.tamer.runtime.ecg;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * One ECG as the gateway and the training module see it, whatever format it arrived in.
 *
 * @param id                 the record's identifier within its source (never blank)
 * @param subjectReference   reference to the patient, e.g. {@code Patient/123}, when known
 * @param encounterReference reference to the encounter, when known
 * @param acquisitionTime    when the ECG was acquired, when the source says
 * @param signal             the sampled leads in millivolts
 * @param reportText         the free-text diagnostic report or machine statements, when present
 * @param source             the format, file and device it came from
 */
public record EcgRecord(
        String id,
        Optional<String> subjectReference,
        Optional<String> encounterReference,
        Optional<OffsetDateTime> acquisitionTime,
        EcgSignal signal,
        Optional<String> reportText,
        SourceMetadata source) {

    public EcgRecord {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("record id is blank");
        }
        Objects.requireNonNull(subjectReference, "subjectReference");
        Objects.requireNonNull(encounterReference, "encounterReference");
        Objects.requireNonNull(acquisitionTime, "acquisitionTime");
        Objects.requireNonNull(signal, "signal of record " + id);
        Objects.requireNonNull(reportText, "reportText");
        Objects.requireNonNull(source, "source");
        reportText = reportText.map(String::strip).filter(text -> !text.isEmpty());
    }

    /** A record with only an id, a signal and a source; everything else absent. */
    public static EcgRecord of(String id, EcgSignal signal, SourceMetadata source) {
        return new EcgRecord(id, Optional.empty(), Optional.empty(), Optional.empty(), signal, Optional.empty(),
                source);
    }

    public EcgRecord withReportText(String text) {
        return new EcgRecord(id, subjectReference, encounterReference, acquisitionTime, signal,
                Optional.ofNullable(text), source);
    }

    public EcgRecord withSubjectReference(String reference) {
        return new EcgRecord(id, Optional.ofNullable(reference), encounterReference, acquisitionTime, signal,
                reportText, source);
    }

    public EcgRecord withEncounterReference(String reference) {
        return new EcgRecord(id, subjectReference, Optional.ofNullable(reference), acquisitionTime, signal,
                reportText, source);
    }

    public EcgRecord withAcquisitionTime(OffsetDateTime time) {
        return new EcgRecord(id, subjectReference, encounterReference, Optional.ofNullable(time), signal,
                reportText, source);
    }

    public EcgRecord withSignal(EcgSignal newSignal) {
        return new EcgRecord(id, subjectReference, encounterReference, acquisitionTime, newSignal, reportText,
                source);
    }
}
