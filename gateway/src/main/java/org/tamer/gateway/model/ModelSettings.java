package org.tamer.gateway.model;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.Objects;

/**
 * The model the gateway serves and how it is fed ({@code tamer.model.*}, environment {@code TAMER_MODEL_*}).
 *
 * @param bundle          the model bundle folder (relative paths from the working directory)
 * @param maxBatch        ECGs per micro-batch: {@code auto} or a number (see {@code GatewayFactory.maxBatchSize})
 * @param maxWait         longest wait for a micro-batch to fill
 * @param queueCapacity   ECGs waiting for the model before new work is refused with back-pressure
 * @param reloadInterval  how often the bundle folder is checked for a new bundle
 * @param classSystem     the FHIR code system of the model's classes
 * @param normalClass     the class that means "no finding"
 * @param operatingPoints {@code CODE=probability,...} replacing the bundle's per-class thresholds; empty: the bundle's
 * @param cardUrl         the model card's published address, linked from the model Device; empty: none
 * @param intendedUse     the Device's intended-use statement; empty: the research-use default
 */
@ConfigurationProperties("tamer.model")
public record ModelSettings(@Bindable(defaultValue = "../models/tamer-ptbxl-default") String bundle,
                            @Bindable(defaultValue = "auto") String maxBatch,
                            @Bindable(defaultValue = "20ms") Duration maxWait,
                            @Bindable(defaultValue = "256") int queueCapacity,
                            @Bindable(defaultValue = "30s") Duration reloadInterval,
                            @Bindable(defaultValue = "https://tamer-ecg.org/fhir/CodeSystem/ptbxl-statement")
                            String classSystem,
                            @Bindable(defaultValue = "NORM") String normalClass,
                            @Bindable(defaultValue = "") String operatingPoints,
                            @Bindable(defaultValue = "") String cardUrl,
                            @Bindable(defaultValue = "") String intendedUse) {

    public ModelSettings {
        // an empty value in the configuration file may arrive as null
        operatingPoints = Objects.requireNonNullElse(operatingPoints, "");
        cardUrl = Objects.requireNonNullElse(cardUrl, "");
        intendedUse = Objects.requireNonNullElse(intendedUse, "");
        maxBatch = Objects.requireNonNullElse(maxBatch, "auto");
        required("bundle", bundle);
        required("class-system", classSystem);
        required("normal-class", normalClass);
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("tamer.model.max-wait must not be negative: " + maxWait);
        }
        if (reloadInterval == null || reloadInterval.isNegative() || reloadInterval.isZero()) {
            throw new IllegalArgumentException("tamer.model.reload-interval must be positive: " + reloadInterval);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("tamer.model.queue-capacity must be at least 1: " + queueCapacity);
        }
    }

    private static void required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("tamer.model." + key + " must not be empty");
        }
    }
}
