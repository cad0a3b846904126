package org.tamer.training.dataset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Assigns splits by patient: every record of a patient lands in the same split. Either by a given assignment (for
 * PTB-XL, its patient-wise {@code strat_fold}: 9 → validation, 10 → test) or, for archives without one, by a salted
 * hash of the patient reference, which is stable across runs and machines.
 */
public final class PatientSplitter {

    private final Optional<Map<String, Split>> byPatient;
    private final double validationFraction;
    private final double testFraction;
    private final String salt;

    private PatientSplitter(Optional<Map<String, Split>> byPatient, double validationFraction, double testFraction,
                            String salt) {
        this.byPatient = byPatient;
        this.validationFraction = validationFraction;
        this.testFraction = testFraction;
        this.salt = salt;
    }

    /** Hash-based splitting with the given fractions. */
    public static PatientSplitter hashed(double validationFraction, double testFraction, String salt) {
        if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1) {
            throw new IllegalArgumentException("validation and test fractions must be non-negative and sum below 1");
        }
        return new PatientSplitter(Optional.empty(), validationFraction, testFraction, Objects.requireNonNull(salt));
    }

    /** Every patient in one split: an archive kept for evaluation only ({@code --split-all TEST}). */
    public static PatientSplitter all(Split split) {
        Objects.requireNonNull(split, "split");
        return new PatientSplitter(Optional.empty(), split == Split.VALIDATION ? 1 : 0, split == Split.TEST ? 1 : 0,
                "");
    }

    /** A fixed assignment; patients not in it go to training. */
    public static PatientSplitter fixed(Map<String, Split> byPatient) {
        return new PatientSplitter(Optional.of(Map.copyOf(byPatient)), 0, 0, "");
    }

    /** How patients are split, for the dataset manifest: the fractions, or the size of the fixed table. */
    public String describe() {
        if (validationFraction + testFraction >= 1) {
            return "every record in the " + (testFraction >= 1 ? "test" : "validation") + " split";
        }
        return byPatient.map(table -> "patient splits from a table of " + table.size() + " patients")
                .orElseGet(() -> String.format(Locale.ROOT,
                        "patient splits hashed (validation %s, test %s)", validationFraction, testFraction));
    }

    public Split split(String patientReference) {
        if (byPatient.isPresent()) {
            return byPatient.get().getOrDefault(patientReference, Split.TRAIN);
        }
        double u = unitInterval(salt + "|" + patientReference);
        if (u < testFraction) {
            return Split.TEST;
        }
        return u < testFraction + validationFraction ? Split.VALIDATION : Split.TRAIN;
    }

    private static double unitInterval(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 7; i++) {
                value = value << 8 | (digest[i] & 0xff);
            }
            return value / (double) (1L << 56);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
