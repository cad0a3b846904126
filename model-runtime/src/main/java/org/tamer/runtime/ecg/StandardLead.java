package org.tamer.runtime.ecg;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The twelve standard leads of the resting ECG, in the canonical order used by the model. */
public enum StandardLead implements Lead {
    I("I"), II("II"), III("III"), AVR("aVR"), AVL("aVL"), AVF("aVF"),
    V1("V1"), V2("V2"), V3("V3"), V4("V4"), V5("V5"), V6("V6");

    /** The canonical order: I, II, III, aVR, aVL, aVF, V1–V6. */
    public static final List<Lead> CANONICAL_ORDER = List.of(values());

    private static final String MDC_PREFIX = "MDC_ECG_LEAD_";

    private final String label;

    StandardLead(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    /** Finds the standard lead a label names, ignoring case and an {@code MDC_ECG_LEAD_} prefix. */
    public static Optional<StandardLead> find(String label) {
        String key = label.trim().toUpperCase(Locale.ROOT);
        if (key.startsWith(MDC_PREFIX)) {
            key = key.substring(MDC_PREFIX.length());
        }
        for (StandardLead lead : values()) {
            if (lead.name().equals(key)) {
                return Optional.of(lead);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label;
    }
}
