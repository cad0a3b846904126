package org.tamer.runtime.ecg;

import java.util.List;

/** Thrown when a record lacks leads that a consumer requires. */
public final class MissingLeadsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient List<Lead> missing;

    public MissingLeadsException(List<Lead> missing, List<Lead> present) {
        super("missing required leads " + missing + "; the record has " + present);
        this.missing = List.copyOf(missing);
    }

    /** The required leads that were absent. */
    public List<Lead> missing() {
        return missing;
    }
}
