package org.tamer.runtime.ecg;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a record came from.
 *
 * @param format the source format, e.g. {@code WFDB}, {@code HL7v2}, {@code FHIR}
 * @param file   the file or message the record was read from, when there is one
 * @param device the acquiring device, when the source names it
 */
public record SourceMetadata(String format, Optional<String> file, Optional<String> device) {

    public SourceMetadata {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(device, "device");
        if (format.isBlank()) {
            throw new IllegalArgumentException("source format is blank");
        }
    }

    public static SourceMetadata of(String format, String file) {
        return new SourceMetadata(format, Optional.ofNullable(file), Optional.empty());
    }

    public SourceMetadata withDevice(String newDevice) {
        return new SourceMetadata(format, file, Optional.ofNullable(newDevice).filter(d -> !d.isBlank()));
    }
}
