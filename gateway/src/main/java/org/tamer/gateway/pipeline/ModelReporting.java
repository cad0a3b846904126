package org.tamer.gateway.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tamer.fhir.writeback.ModelDescriptor;

/**
 * What the deployment adds to the model it reports with: operating points that replace the bundle's for some
 * classes ({@code tamer.model.operating-points}), the model card's address and the intended-use statement the
 * Device carries.
 *
 * @param operatingPoints per class code, a probability in (0, 1) replacing the bundle's threshold
 * @param modelCardUrl    where the model card is published, when configured
 * @param intendedUse     the intended-use and limitation statement, when configured (else the default)
 */
public record ModelReporting(Map<String, Double> operatingPoints, Optional<String> modelCardUrl,
                             Optional<String> intendedUse) {

    public static final ModelReporting NONE = new ModelReporting(Map.of(), Optional.empty(), Optional.empty());

    public ModelReporting {
        operatingPoints = Map.copyOf(operatingPoints);
        modelCardUrl = modelCardUrl.filter(u -> !u.isBlank());
        intendedUse = intendedUse.filter(u -> !u.isBlank());
    }

    /**
     * Parses {@code CODE=probability} pairs separated by commas, e.g. {@code NORM=0.55,MI=0.2}.
     *
     * @throws IllegalArgumentException naming the pair that is not one
     */
    public static Map<String, Double> parseOperatingPoints(String text) {
        Map<String, Double> points = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return points;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            String code = eq < 0 ? "" : pair.substring(0, eq).strip();
            double value;
            try {
                value = eq < 0 ? Double.NaN : Double.parseDouble(pair.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (code.isEmpty() || !(value > 0 && value < 1)) {
                throw new IllegalArgumentException("tamer.model.operating-points: '" + pair.strip()
                        + "' is not CODE=probability with the probability in (0, 1)");
            }
            points.put(code, value);
        }
        return points;
    }

    /** The model as reported: its operating points overridden where configured, the card and intended use added. */
    public ModelDescriptor apply(ModelDescriptor model) {
        Objects.requireNonNull(model, "model");
        return new ModelDescriptor(model.name(), model.version(), model.bundleSha256(),
                modelCardUrl.or(model::modelCardUrl), intendedUse.orElse(model.intendedUse()),
                model.operatingPoints().overriddenBy(operatingPoints, "tamer.model.operating-points"));
    }
}
