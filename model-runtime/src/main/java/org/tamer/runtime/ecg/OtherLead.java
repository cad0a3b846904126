package org.tamer.runtime.ecg;

import java.util.Objects;

/**
 * A lead that is not one of the twelve standard leads, kept under the label its source gave it.
 *
 * @param label the source's label, never blank and never a standard lead's label
 */
public record OtherLead(String label) implements Lead {

    public OtherLead {
        Objects.requireNonNull(label, "label");
        if (label.isBlank()) {
            throw new IllegalArgumentException("lead label is blank");
        }
        if (StandardLead.find(label).isPresent()) {
            throw new IllegalArgumentException("'" + label + "' is a standard lead; use StandardLead");
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
