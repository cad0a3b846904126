package org.tamer.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.inference.PromptDictionary;
import org.tamer.runtime.testdata.SharedData;

/** Every class of every MERL benchmark table has prompts in the shipped dictionaries, and nothing else does. */
class PromptFilesTest {

    private static final Map<String, String> TABLES = Map.of(
            "ptbxl-super", "merl-splits/ptbxl/super_class/ptbxl_super_class_test.csv",
            "ptbxl-sub", "merl-splits/ptbxl/sub_class/ptbxl_sub_class_test.csv",
            "ptbxl-form", "merl-splits/ptbxl/form/ptbxl_form_test.csv",
            "ptbxl-rhythm", "merl-splits/ptbxl/rhythm/ptbxl_rhythm_test.csv",
            "cpsc2018", "merl-splits/icbeb/icbeb_test.csv",
            "chapman", "merl-splits/chapman/chapman_test.csv");
    private static final Set<String> NOT_CLASSES = Set.of("ecg_id", "patient_id", "strat_fold", "filename_lr",
            "filename_hr", "super_class", "sub_class", "form", "rhythm", "validation", "age", "sex", "scp_codes",
            "filename", "ecg_path", "diagnose");

    @Test
    void coverTheBenchmarkClassesExactly() throws IOException {
        for (Map.Entry<String, String> task : TABLES.entrySet()) {
            String header = Files.readAllLines(SharedData.file(task.getValue())).get(0);
            Set<String> classes = new TreeSet<>(Arrays.asList(header.split(",")));
            classes.removeAll(NOT_CLASSES);
            PromptDictionary prompts = load(task.getKey());
            assertEquals(classes, new TreeSet<>(prompts.classes()), task.getKey());
            for (String code : prompts.classes()) {
                assertTrue(prompts.descriptions(code).stream().allMatch(d -> d.split(" ").length >= 1), code);
            }
        }
    }

    static PromptDictionary load(String name) throws IOException {
        try (InputStream in = PromptFilesTest.class.getResourceAsStream("/prompts/" + name + ".json")) {
            return PromptDictionary.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        }
    }

    static List<String> names() {
        return List.copyOf(TABLES.keySet());
    }
}
