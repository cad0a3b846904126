package org.tamer.training.labels;

import ca.uhn.fhir.context.FhirContext;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.tamer.fhir.terminology.ClassTerminology;
import org.tamer.fhir.terminology.FhirPackage;
import org.tamer.routes.adapters.ArchiveLabels;

/**
 * SNOMED CT codes (a Challenge header's {@code #Dx}) to the classes of a shipped prompt dictionary
 * ({@value #DICTIONARIES}). A class's codes are those of the FHIR package's ConceptMap for the class (and, for a
 * PTB-XL superclass, for the statements in it), read from fhir-profiles at run time, plus the codings the
 * PhysioNet/CinC Challenge 2020 data use for the same class, each with its source, from
 * {@code /labels/DICTIONARY.snomed.json}. Archive labels already in the dictionary's class system (CPSC2018's
 * {@code REFERENCE.csv}) pass through.
 */
public final class SnomedClassMap {

    public static final String DICTIONARIES = "ptbxl-super, cpsc2018, chapman";

    /**
     * One code counting as a class.
     *
     * @param code    SNOMED CT concept id
     * @param display its display
     * @param source  where the equivalence comes from
     */
    public record Code(String code, String display, String source) {
    }

    private final String dictionary;
    private final String classSystem;
    private final Map<String, List<Code>> codesByClass;
    private final Map<String, Set<String>> classesByCode = new LinkedHashMap<>();

    private SnomedClassMap(String dictionary, String classSystem, Map<String, List<Code>> codesByClass) {
        this.dictionary = dictionary;
        this.classSystem = classSystem;
        this.codesByClass = codesByClass;
        codesByClass.forEach((c, codes) -> codes.forEach(code -> classesByCode
                .computeIfAbsent(code.code(), k -> new LinkedHashSet<>()).add(c)));
    }

    /** The shipped mapping of a dictionary, with the FHIR package's concept maps. */
    public static SnomedClassMap shipped(String dictionary) {
        return shipped(dictionary, new ClassTerminology(FhirPackage.load(), FhirContext.forR4Cached()));
    }

    public static SnomedClassMap shipped(String dictionary, ClassTerminology terminology) {
        Objects.requireNonNull(dictionary, "dictionary");
        JsonObject json;
        try (InputStream in = SnomedClassMap.class.getResourceAsStream("/labels/" + dictionary + ".snomed.json")) {
            if (in == null) {
                throw new IllegalArgumentException("no SNOMED CT mapping ships for '" + dictionary + "' (shipped: "
                        + DICTIONARIES + ")");
            }
            json = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String system = json.get("classSystem").getAsString();
        Map<String, List<Code>> byClass = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : json.getAsJsonObject("classes").entrySet()) {
            JsonObject c = entry.getValue().getAsJsonObject();
            List<Code> codes = new ArrayList<>();
            for (JsonElement member : c.getAsJsonArray("conceptMap")) {
                String code = member.getAsString();
                if (!terminology.isKnown(system, code)) {
                    throw new IllegalStateException(dictionary + ".snomed.json: '" + code + "' is not a code of "
                            + system + " in the FHIR package");
                }
                terminology.snomed(system, code).ifPresent(coding -> codes.add(fromConceptMap(coding, system, code)));
            }
            JsonArray extra = c.getAsJsonArray("snomed");
            for (JsonElement e : extra) {
                JsonObject o = e.getAsJsonObject();
                codes.add(new Code(o.get("code").getAsString(), o.get("display").getAsString(),
                        o.get("source").getAsString()));
            }
            byClass.put(entry.getKey(), List.copyOf(codes));
        }
        return new SnomedClassMap(dictionary, system, byClass);
    }

    private static Code fromConceptMap(Coding coding, String system, String code) {
        String codeSystem = system.substring(system.lastIndexOf('/') + 1);
        return new Code(coding.getCode(), coding.getDisplay(), "FHIR package org.tamer.ecg, ConceptMap of "
                + codeSystem + ": " + code);
    }

    public String dictionary() {
        return dictionary;
    }

    /** The classes, in the mapping's order. */
    public List<String> classes() {
        return List.copyOf(codesByClass.keySet());
    }

    /** The codes of a class (empty for a class nothing is mapped to). */
    public List<Code> codes(String className) {
        return codesByClass.getOrDefault(className, List.of());
    }

    /** The dictionary classes an archive's labels stand for, in the mapping's class order. */
    public List<String> classesOf(ArchiveLabels labels) {
        Set<String> found = new LinkedHashSet<>();
        if (labels.system().equals(ArchiveLabels.SNOMED_CT)) {
            for (String code : labels.codes()) {
                found.addAll(classesByCode.getOrDefault(code, Set.of()));
            }
        } else if (labels.system().equals(classSystem)) {
            labels.codes().stream().filter(codesByClass::containsKey).forEach(found::add);
        }
        return classes().stream().filter(found::contains).toList();
    }

    /** The mapping as a Markdown table: class, SNOMED CT code, display, source. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "| %s class | SNOMED CT | display | source |%n|---|---|---|---|%n", dictionary));
        codesByClass.forEach((c, codes) -> {
            if (codes.isEmpty()) {
                md.append("| ").append(c).append(" | — | no verified code | |\n");
            }
            for (Code code : codes) {
                md.append("| ").append(c).append(" | ").append(code.code()).append(" | ").append(code.display())
                        .append(" | ").append(code.source()).append(" |\n");
            }
        });
        return md.toString();
    }
}
