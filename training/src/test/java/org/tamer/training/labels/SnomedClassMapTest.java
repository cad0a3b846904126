package org.tamer.training.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.fhir.terminology.ClassTerminology;
import org.tamer.fhir.terminology.FhirPackage;
import org.tamer.routes.adapters.ArchiveLabels;
import org.tamer.runtime.inference.PromptDictionary;
import org.tamer.runtime.testdata.SharedData;

/**
 * The shipped mappings against the codings the Challenge 2020 data really use (the expectations are written from
 * the Challenge's dx_mapping tables by hand, not read from the mapping), and the label file layouts.
 */
class SnomedClassMapTest {

    private static final ClassTerminology TERMINOLOGY = new ClassTerminology(FhirPackage.load(),
            FhirContext.forR4Cached());

    @Test
    void cpsc2018ClassesFromTheChallengeCodingOfCpsc2018() {
        SnomedClassMap map = SnomedClassMap.shipped("cpsc2018", TERMINOLOGY);
        assertEquals(List.of("NORM"), map.classesOf(snomed("426783006")));
        assertEquals(List.of("AFIB"), map.classesOf(snomed("164889003")));
        assertEquals(List.of("1AVB"), map.classesOf(snomed("270492004")));
        assertEquals(List.of("CLBBB"), map.classesOf(snomed("164909002")));
        assertEquals(List.of("CRBBB"), map.classesOf(snomed("59118001")));
        assertEquals(List.of("CRBBB"), map.classesOf(snomed("713427006")));
        assertEquals(List.of("PAC"), map.classesOf(snomed("284470004")));
        assertEquals(List.of("VPC", "STD"), map.classesOf(snomed("429622005", "164884008")));
        assertEquals(List.of("STE"), map.classesOf(snomed("164931005")));
        assertEquals(List.of(), map.classesOf(snomed("39732003"))); // left axis deviation: no CPSC2018 class
        assertEquals(List.of("NORM", "VPC"), map.classesOf(new ArchiveLabels(
                "https://tamer-ecg.org/fhir/CodeSystem/cpsc2018-class", List.of("VPC", "NORM", "XYZ"))));
        assertTrue(map.toMarkdown().contains("| VPC | 164884008 | ventricular ectopics | PhysioNet/CinC Challenge "
                + "2020 dx_mapping_unscored.csv"), map.toMarkdown());
        assertTrue(map.toMarkdown().contains("| AFIB | 164889003 | Atrial fibrillation | FHIR package org.tamer.ecg, "
                + "ConceptMap of cpsc2018-class: AFIB |"), map.toMarkdown());
    }

    @Test
    void ptbXlSuperclassesCountTheirStatements() {
        SnomedClassMap map = SnomedClassMap.shipped("ptbxl-super", TERMINOLOGY);
        assertEquals(List.of("NORM"), map.classesOf(snomed("164854000")));
        assertEquals(List.of("MI"), map.classesOf(snomed("54329005")));
        assertEquals(List.of("STTC"), map.classesOf(snomed("425419005")));
        assertEquals(List.of("CD"), map.classesOf(snomed("445118002")));
        assertEquals(List.of("CD"), map.classesOf(snomed("713426002")));
        assertEquals(List.of("HYP"), map.classesOf(snomed("446358003")));
        assertEquals(List.of("MI", "HYP"), map.classesOf(snomed("164873001", "164865005")));
        assertEquals(List.of(), map.classesOf(snomed("426783006")), "sinus rhythm is not NORM");
    }

    @Test
    void chapmanCodesAndEveryMappingMatchesItsDictionary() {
        SnomedClassMap chapman = SnomedClassMap.shipped("chapman", TERMINOLOGY);
        assertEquals(List.of("VPB"), chapman.classesOf(snomed("17338001")));
        assertEquals(List.of("VPB"), chapman.classesOf(snomed("427172004")));
        assertEquals(List.of("SR"), chapman.classesOf(snomed("426783006")));
        assertEquals(List.of("RBBB"), chapman.classesOf(snomed("713427006")));
        assertEquals(List.of(), chapman.codes("UW"), "unmatched in the concept map: no code");
        for (String name : List.of("ptbxl-super", "cpsc2018", "chapman")) {
            SnomedClassMap map = SnomedClassMap.shipped(name, TERMINOLOGY);
            assertEquals(prompts(name).classes(), map.classes(), name);
            map.classes().forEach(c -> map.codes(c).forEach(code -> assertFalse(code.source().isBlank())));
        }
    }

    @Test
    void labelFilesOneHotAsMerlWritesThemAndAsLists(@TempDir Path dir) throws IOException {
        Path icbeb = SharedData.root().resolve("merl-splits/icbeb/icbeb_test.csv");
        LabelFile merl = LabelFile.read(icbeb, Optional.of(Set.copyOf(prompts("cpsc2018").classes())));
        assertEquals(Optional.of(List.of("STD")), merl.labels("A6729", "A6729"));
        assertEquals(Optional.of(List.of("1AVB")), merl.labels("TrainingSet1/A0493", "A0493"));
        Path chapman = SharedData.root().resolve("merl-splits/chapman/chapman_test.csv");
        LabelFile paths = LabelFile.read(chapman, Optional.of(Set.copyOf(prompts("chapman").classes())));
        assertEquals(Optional.of(List.of("AF")), paths.labels("JS18048", "JS18048"));
        assertEquals(Optional.of(List.of("STE", "ERV", "ST")), paths.labels("x/JS24831", "JS24831"));

        Path lists = dir.resolve("labels.csv");
        Files.writeString(lists, "record,classes\nA0001,CRBBB;PAC\nA0002,\n\"A0003\",NORM\n");
        LabelFile file = LabelFile.read(lists, Optional.empty());
        assertEquals(Optional.of(List.of("CRBBB", "PAC")), file.labels("A0001", "A0001"));
        assertEquals(Optional.of(List.of()), file.labels("A0002", "A0002"));
        assertEquals(Optional.empty(), file.labels("A0009", "A0009"));
    }

    private static ArchiveLabels snomed(String... codes) {
        return new ArchiveLabels(ArchiveLabels.SNOMED_CT, List.of(codes));
    }

    private static PromptDictionary prompts(String name) {
        try (InputStream in = SnomedClassMapTest.class.getResourceAsStream("/prompts/" + name + ".json")) {
            return PromptDictionary.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
