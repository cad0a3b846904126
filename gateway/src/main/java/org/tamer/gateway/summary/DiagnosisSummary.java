package org.tamer.gateway.summary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;

/**
 * What a diagnosis Observation says, in a few lines: its overall interpretation, the reported findings, every class
 * probability (highest first), and the model (name, version, parameters hash) from its Device. Read from the FHIR
 * resources alone, so it summarises a result from the gateway's own {@code /fhir} as well as one fetched from a
 * hospital FHIR server.
 *
 * @param interpretation the overall interpretation (code and display, e.g. "A (Abnormal)"), or "-" when absent
 * @param findings       the reported findings, as their displays or codes
 * @param probabilities  every class's probability, highest first
 * @param status         the Observation's status (preliminary: machine-made, not yet confirmed)
 * @param model          the model that made it: name, version and parameters hash, when its Device is known
 */
public record DiagnosisSummary(String interpretation, List<String> findings, List<ClassProbability> probabilities,
                               String status, Optional<ModelIdentity> model) {

    public DiagnosisSummary {
        findings = List.copyOf(findings);
        probabilities = List.copyOf(probabilities);
    }

    /** One class's probability: its code (e.g. NORM), its display ("normal ECG") and the calibrated probability. */
    public record ClassProbability(String code, String display, double probability) {
    }

    /** The model a result came from. */
    public record ModelIdentity(String name, String version, String parametersSha256) {
    }

    /** The summary of a diagnosis Observation, with the model from {@code device} when given. */
    public static DiagnosisSummary of(Observation diagnosis, Optional<Device> device) {
        List<ClassProbability> probabilities = new ArrayList<>();
        for (Observation.ObservationComponentComponent component : diagnosis.getComponent()) {
            if (component.getValue() instanceof Quantity q && q.hasValue()) {
                Coding coding = component.getCode().getCodingFirstRep();
                probabilities.add(new ClassProbability(coding.getCode(), display(component.getCode()),
                        q.getValue().doubleValue()));
            }
        }
        probabilities.sort(Comparator.comparingDouble(ClassProbability::probability).reversed());
        // the findings are the components the result marks POS (each class its own component, see docs/fhir.md)
        List<String> findings = new ArrayList<>();
        for (Observation.ObservationComponentComponent component : diagnosis.getComponent()) {
            boolean positive = component.getInterpretation().stream().flatMap(c -> c.getCoding().stream())
                    .anyMatch(c -> "POS".equals(c.getCode()));
            if (positive) {
                Coding coding = component.getCode().getCodingFirstRep();
                findings.add(display(component.getCode()) + " (" + coding.getCode() + ")");
            }
        }
        String interpretation = diagnosis.getInterpretation().stream().flatMap(c -> c.getCoding().stream())
                .findFirst().map(c -> c.getCode() + (c.hasDisplay() ? " (" + c.getDisplay() + ")" : ""))
                .orElse("-");
        Optional<ModelIdentity> model = device.map(d -> new ModelIdentity(
                d.getDeviceName().isEmpty() ? "-" : d.getDeviceNameFirstRep().getName(),
                d.getVersion().isEmpty() ? "-" : d.getVersionFirstRep().getValue(),
                d.getIdentifier().stream().filter(i -> WriteBackBundleBuilder.DEVICE_IDENTIFIER_SYSTEM.equals(
                        i.getSystem())).map(i -> i.getValue()).findFirst().orElse("-")));
        return new DiagnosisSummary(interpretation, findings, probabilities,
                diagnosis.hasStatus() ? diagnosis.getStatus().toCode() : "-", model);
    }

    /**
     * The summary of the diagnosis in {@code bundle} (a write-back transaction, or a search result that included
     * the Device with {@code _include=Observation:device}), or empty when it holds none.
     */
    public static Optional<DiagnosisSummary> of(Bundle bundle) {
        Observation diagnosis = null;
        Map<String, Device> devices = new HashMap<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            if (resource instanceof Observation o && diagnosis == null && isDiagnosis(o)) {
                diagnosis = o;
            } else if (resource instanceof Device d) {
                if (entry.hasFullUrl()) {
                    devices.put(entry.getFullUrl(), d);
                }
                if (d.getIdElement().hasIdPart()) {
                    devices.put("Device/" + d.getIdElement().getIdPart(), d);
                }
            }
        }
        if (diagnosis == null) {
            return Optional.empty();
        }
        String reference = diagnosis.getDevice().getReference();
        Optional<Device> device = Optional.ofNullable(reference == null ? null : devices.get(reference));
        if (device.isEmpty() && reference != null) {
            device = devices.entrySet().stream().filter(e -> e.getKey().endsWith("/" + reference)
                    || reference.endsWith("/" + e.getKey())).map(Map.Entry::getValue).findFirst();
        }
        return Optional.of(of(diagnosis, device));
    }

    /** Whether {@code o} is a diagnosis the gateway wrote (by its identifier system). */
    public static boolean isDiagnosis(Observation o) {
        return o.getIdentifier().stream().anyMatch(i -> WriteBackBundleBuilder.DIAGNOSIS_IDENTIFIER_SYSTEM.equals(
                i.getSystem()));
    }

    /** The summary as aligned text lines for a terminal. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("interpretation: " + interpretation + ", status " + status);
        lines.add("findings:       " + (findings.isEmpty() ? "-" : String.join("; ", findings)));
        lines.add("probabilities:  " + (probabilities.isEmpty() ? "-" : String.join("  ", probabilities.stream()
                .map(p -> String.format(Locale.ROOT, "%s %.3f", p.code(), p.probability())).toList())));
        for (ClassProbability p : probabilities) {
            lines.add(String.format(Locale.ROOT, "  %-6s %5.1f %%  %s", p.code(), 100 * p.probability(), p.display()));
        }
        lines.add("model:          " + model.map(m -> m.name() + " " + m.version() + " (parameters "
                + m.parametersSha256().substring(0, Math.min(12, m.parametersSha256().length())) + ")").orElse("-"));
        return lines;
    }

    private static String display(CodeableConcept concept) {
        if (concept.hasText()) {
            return concept.getText();
        }
        return concept.getCoding().stream().filter(Coding::hasDisplay).map(Coding::getDisplay).findFirst()
                .orElse(concept.getCodingFirstRep().getCode());
    }
}
