package org.tamer.fhir.writeback;

import java.util.Objects;
import java.util.Optional;
import org.tamer.runtime.inference.OperatingPoints;

/**
 * The model that made a diagnosis, as written into the model Device and used to read its scores.
 *
 * @param name            model name
 * @param version         model version
 * @param bundleSha256    SHA-256 of the model bundle's parameters (the Device's identifier)
 * @param modelCardUrl    where the model card is published, when it is
 * @param intendedUse     the intended-use and limitation statement the Device carries
 * @param operatingPoints per class, the probability from which the class is reported as a finding
 */
public record ModelDescriptor(String name, String version, String bundleSha256, Optional<String> modelCardUrl,
                              String intendedUse, OperatingPoints operatingPoints) {

    /** What the Device says when the deployment states nothing else. */
    public static final String DEFAULT_INTENDED_USE = "Research use only. Zero-shot ECG classification by TAMER "
            + "to support, not replace, a clinician's reading of the 12-lead ECG; not validated for clinical "
            + "diagnosis. Findings are the classes whose calibrated probability reached the model's operating point; "
            + "they are preliminary and must be confirmed by a qualified reader.";

    public ModelDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(bundleSha256, "bundleSha256");
        Objects.requireNonNull(modelCardUrl, "modelCardUrl");
        Objects.requireNonNull(intendedUse, "intendedUse");
        Objects.requireNonNull(operatingPoints, "operatingPoints");
        if (!bundleSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("bundleSha256 must be 64 lower-case hex digits, got " + bundleSha256);
        }
        if (intendedUse.isBlank()) {
            throw new IllegalArgumentException("the intended-use statement is blank");
        }
    }

    /** A model with the default intended-use statement and no operating points (every class at 0.5). */
    public ModelDescriptor(String name, String version, String bundleSha256, Optional<String> modelCardUrl) {
        this(name, version, bundleSha256, modelCardUrl, DEFAULT_INTENDED_USE, OperatingPoints.NONE);
    }
}
