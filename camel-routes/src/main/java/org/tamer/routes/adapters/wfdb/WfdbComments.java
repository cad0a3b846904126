package org.tamer.routes.adapters.wfdb;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code key: value} comment lines of a WFDB header, with the conventions of the archives we read:
 * PhysioNet/CinC Challenge 2020/2021 ({@code Age}, {@code Sex}, {@code Dx} as SNOMED CT codes) and the original
 * PTB database (diagnosis and clinical summary lines).
 */
public final class WfdbComments {

    /** PTB header fields that, in this order, make up the diagnosis text. */
    private static final List<String> PTB_DIAGNOSIS_FIELDS = List.of("reason for admission",
            "acute infarction (localization)", "former infarction (localization)", "additional diagnoses");
    private static final List<String> EMPTY_VALUES = List.of("", "n/a", "no", "unknown", "none");

    private final Map<String, String> fields = new LinkedHashMap<>();

    public WfdbComments(List<String> comments) {
        for (String comment : comments) {
            int colon = comment.indexOf(':');
            if (colon > 0) {
                fields.putIfAbsent(comment.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        comment.substring(colon + 1).strip());
            }
        }
    }

    /** The value of a field, matched without regard to case. */
    public Optional<String> field(String key) {
        return Optional.ofNullable(fields.get(key.toLowerCase(Locale.ROOT)));
    }

    /** The Challenge {@code Dx} SNOMED CT codes, in order. */
    public List<String> diagnosisCodes() {
        return field("Dx").map(dx -> Arrays.stream(dx.split(","))
                .map(String::strip).filter(code -> !code.isEmpty()).toList()).orElse(List.of());
    }

    /** The patient's age in years, when a plain number is given. */
    public Optional<Integer> age() {
        return field("Age").or(() -> field("age")).flatMap(value -> {
            try {
                return Optional.of((int) Math.round(Double.parseDouble(value)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** The diagnosis of a PTB-style header as one sentence per field, e.g. "Reason for admission: …". */
    public Optional<String> ptbDiagnosis() {
        List<String> parts = new ArrayList<>();
        for (String key : PTB_DIAGNOSIS_FIELDS) {
            String value = fields.get(key);
            if (value != null && !EMPTY_VALUES.contains(value.toLowerCase(Locale.ROOT))) {
                parts.add(Character.toUpperCase(key.charAt(0)) + key.substring(1) + ": " + value + ".");
            }
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", parts));
    }

    /** The PTB {@code ECG date} (DD/MM/YYYY), when given and readable. */
    public Optional<LocalDate> ecgDate() {
        return field("ECG date").flatMap(value -> {
            try {
                return Optional.of(LocalDate.parse(value, DateTimeFormatter.ofPattern("dd/MM/yyyy")));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }
}
