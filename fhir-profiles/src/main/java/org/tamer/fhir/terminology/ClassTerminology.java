package org.tamer.fhir.terminology;

import ca.uhn.fhir.context.FhirContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Enumerations;

/**
 * The diagnostic class codes of this project (PTB-XL, CPSC 2018, Chapman) with their displays and their SNOMED CT
 * equivalents, read from the package's code systems and concept maps (one source for Java and FHIR tooling).
 */
public final class ClassTerminology {

    private final Map<String, String> displays = new HashMap<>();
    private final Map<String, Coding> snomed = new HashMap<>();

    public ClassTerminology(FhirPackage fhirPackage, FhirContext context) {
        for (IBaseResource resource : fhirPackage.resources(context)) {
            if (resource instanceof CodeSystem system) {
                system.getConcept().forEach(c -> displays.put(key(system.getUrl(), c.getCode()), c.getDisplay()));
            } else if (resource instanceof ConceptMap map) {
                for (ConceptMap.ConceptMapGroupComponent group : map.getGroup()) {
                    for (ConceptMap.SourceElementComponent element : group.getElement()) {
                        for (ConceptMap.TargetElementComponent target : element.getTarget()) {
                            if (target.hasCode() && target.getEquivalence()
                                    != Enumerations.ConceptMapEquivalence.UNMATCHED) {
                                snomed.put(key(group.getSource(), element.getCode()),
                                        new Coding(group.getTarget(), target.getCode(), target.getDisplay()));
                            }
                        }
                    }
                }
            }
        }
    }

    /** The class as a Coding of its code system, with the display from the package. */
    public Coding classCoding(String system, String code) {
        return new Coding(system, code, displays.get(key(system, code)));
    }

    /** Whether the package defines the code in the system. */
    public boolean isKnown(String system, String code) {
        return displays.containsKey(key(system, code));
    }

    /** The SNOMED CT finding the class maps to, when one was verified. */
    public Optional<Coding> snomed(String system, String code) {
        return Optional.ofNullable(snomed.get(key(system, code))).map(Coding::copy);
    }

    private static String key(String system, String code) {
        return system + "|" + code;
    }
}
