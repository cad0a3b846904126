package org.tamer.routes.adapters;

import java.util.List;
import java.util.Objects;

/**
 * The diagnoses an archive itself attaches to a record, in the archive's own code system: SNOMED CT codes of a
 * Challenge header's {@code #Dx} line, or CPSC2018's class names from {@code REFERENCE.csv}.
 *
 * @param system the code system URL ({@link #SNOMED_CT} or a project class system)
 * @param codes  the codes, in the archive's order
 */
public record ArchiveLabels(String system, List<String> codes) {

    public static final String SNOMED_CT = "http://snomed.info/sct";

    public ArchiveLabels {
        Objects.requireNonNull(system, "system");
        codes = List.copyOf(codes);
    }

    /** No labels. */
    public static ArchiveLabels none() {
        return new ArchiveLabels("", List.of());
    }
}
