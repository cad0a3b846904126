package org.tamer.runtime.ecg;

import java.util.Objects;

/**
 * An ECG lead: one of the twelve standard leads ({@link StandardLead}) or any other lead a source carries
 * ({@link OtherLead}, e.g. Frank leads vx/vy/vz or right-sided V3R).
 */
public sealed interface Lead permits StandardLead, OtherLead {

    /** The conventional label, e.g. {@code aVR} or {@code V1}. */
    String label();

    /**
     * Parses a lead label as sources write it. Case, a {@code MDC_ECG_LEAD_} prefix and the spellings
     * {@code AVR}/{@code aVR} are accepted for the standard leads; anything else becomes an {@link OtherLead}.
     *
     * @throws IllegalArgumentException if the label is blank
     */
    static Lead parse(String label) {
        Objects.requireNonNull(label, "label");
        String trimmed = label.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("lead label is blank");
        }
        return StandardLead.find(trimmed).<Lead>map(l -> l).orElseGet(() -> new OtherLead(trimmed));
    }

}
