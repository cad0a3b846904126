package org.tamer.training.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tamer.runtime.inference.PromptDictionary;

/** Prompt dictionaries by file path or by the name of one shipped with the tool (e.g. {@code ptbxl-super}). */
final class Prompts {

    static final String SHIPPED = "ptbxl-super, ptbxl-sub, ptbxl-form, ptbxl-rhythm, cpsc2018, chapman";

    private Prompts() {
    }

    static PromptDictionary load(String nameOrPath) {
        Path file = Path.of(nameOrPath);
        if (Files.isRegularFile(file)) {
            return PromptDictionary.load(file);
        }
        try (InputStream in = Prompts.class.getResourceAsStream("/prompts/" + nameOrPath + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("'" + nameOrPath + "' is neither a prompt file nor a shipped "
                        + "dictionary (" + SHIPPED + ")");
            }
            return PromptDictionary.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), nameOrPath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
