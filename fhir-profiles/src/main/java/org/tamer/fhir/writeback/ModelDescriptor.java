package org.tamer.fhir.writeback;

import java.util.Objects;
import java.util.Optional;

/**
 * The model that made a diagnosis, as written into the model Device.
 *
 * @param name         model name
 * @param version      model version
 * @param bundleSha256 SHA-256 of the model bundle's parameters (the Device's identifier)
 * @param modelCardUrl where the model card is published, when it is
 */
public record ModelDescriptor(String name, String version, String bundleSha256, Optional<String> modelCardUrl) {

    public ModelDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(bundleSha256, "bundleSha256");
        Objects.requireNonNull(modelCardUrl, "modelCardUrl");
        if (!bundleSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("bundleSha256 must be 64 lower-case hex digits, got " + bundleSha256);
        }
    }
}
