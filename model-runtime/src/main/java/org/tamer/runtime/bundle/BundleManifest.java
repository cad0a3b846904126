package org.tamer.runtime.bundle;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tamer.runtime.inference.Calibration;
import org.tamer.runtime.inference.OperatingPoints;
import org.tamer.runtime.inference.PromptDictionary;
import org.tamer.runtime.network.TamerConfig;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.spectrogram.StftConfig;

/**
 * Everything in a model bundle's {@code bundle.json}: what the parameters are, how inputs must be prepared, which
 * text encoder and prompts the class embeddings came from. See {@code docs/model-bundle.md}.
 *
 * @param formatVersion     the bundle format (this runtime reads {@link ModelBundle#FORMAT_VERSION})
 * @param name              model name
 * @param version           model version
 * @param created           when it was published
 * @param network           the architecture the parameters belong to
 * @param preprocessing     how ECGs must be preprocessed
 * @param stft              how spectrograms must be computed
 * @param textEncoder       the frozen report encoder
 * @param prompts           the class prompts the class embeddings were built from
 * @param classEmbeddings   per class, the normalised class embedding in the latent space (prompt order)
 * @param calibration       per class, score-to-probability calibration (absent classes: identity)
 * @param parametersSha256  SHA-256 of {@code parameters.bin}
 * @param operatingPoints   per class, the probability from which it is reported as a finding, and how these were
 *                          chosen (format 1 bundles have none: {@link OperatingPoints#NONE})
 */
public record BundleManifest(
        int formatVersion,
        String name,
        String version,
        Instant created,
        TamerConfig network,
        PreprocessingConfig preprocessing,
        StftConfig stft,
        TextEncoderReference textEncoder,
        PromptDictionary prompts,
        List<float[]> classEmbeddings,
        Map<String, Calibration> calibration,
        String parametersSha256,
        OperatingPoints operatingPoints) {

    public BundleManifest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(stft, "stft");
        Objects.requireNonNull(textEncoder, "textEncoder");
        Objects.requireNonNull(prompts, "prompts");
        classEmbeddings = List.copyOf(classEmbeddings);
        calibration = Map.copyOf(calibration);
        Objects.requireNonNull(parametersSha256, "parametersSha256");
        Objects.requireNonNull(operatingPoints, "operatingPoints");
        for (String code : operatingPoints.thresholds().keySet()) {
            if (!prompts.classes().contains(code)) {
                throw new IllegalArgumentException("operating point for class " + code + ", which the bundle does "
                        + "not have (classes: " + prompts.classes() + ")");
            }
        }
        if (classEmbeddings.size() != prompts.classes().size()) {
            throw new IllegalArgumentException(classEmbeddings.size() + " class embeddings for "
                    + prompts.classes().size() + " classes");
        }
        for (float[] e : classEmbeddings) {
            if (e.length != network.latentSize()) {
                throw new IllegalArgumentException("class embedding of size " + e.length + " but D = "
                        + network.latentSize());
            }
        }
    }

    /** A manifest without operating points (every class reported from {@link OperatingPoints#DEFAULT_THRESHOLD}). */
    public BundleManifest(int formatVersion, String name, String version, Instant created, TamerConfig network,
                          PreprocessingConfig preprocessing, StftConfig stft, TextEncoderReference textEncoder,
                          PromptDictionary prompts, List<float[]> classEmbeddings,
                          Map<String, Calibration> calibration, String parametersSha256) {
        this(formatVersion, name, version, created, network, preprocessing, stft, textEncoder, prompts,
                classEmbeddings, calibration, parametersSha256, OperatingPoints.NONE);
    }

    /**
     * The same bundle with its classes' probabilities calibrated anew (classes left out: identity). Operating points
     * chosen on the old probabilities no longer hold and are dropped.
     */
    public BundleManifest withCalibration(Map<String, Calibration> calibrations) {
        for (String code : calibrations.keySet()) {
            if (!prompts.classes().contains(code)) {
                throw new IllegalArgumentException("calibration for class " + code + ", which the bundle does not "
                        + "have (classes: " + prompts.classes() + ")");
            }
        }
        return new BundleManifest(formatVersion, name, version, created, network, preprocessing, stft, textEncoder,
                prompts, classEmbeddings, calibrations, parametersSha256, OperatingPoints.NONE);
    }

    /** The same bundle with these operating points (thresholds on its calibrated probabilities). */
    public BundleManifest withOperatingPoints(OperatingPoints points) {
        return new BundleManifest(formatVersion, name, version, created, network, preprocessing, stft, textEncoder,
                prompts, classEmbeddings, calibration, parametersSha256, points);
    }

    public Calibration calibrationOf(String code) {
        return calibration.getOrDefault(code, Calibration.IDENTITY);
    }
}
