package org.tamer.runtime.inference;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Class prompts for zero-shot diagnosis: per class code, one or more text descriptions whose embeddings are
 * averaged into the class embedding. Stored as a JSON object {@code {"AFIB": ["atrial fibrillation", ...], ...}};
 * class order is the file's order.
 */
public final class PromptDictionary {

    private final Map<String, List<String>> prompts;

    private PromptDictionary(Map<String, List<String>> prompts) {
        this.prompts = prompts;
    }

    public static PromptDictionary of(Map<String, List<String>> prompts) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        prompts.forEach((code, descriptions) -> {
            if (code == null || code.isBlank()) {
                throw new IllegalArgumentException("a class code is blank");
            }
            if (descriptions == null || descriptions.isEmpty()
                    || descriptions.stream().anyMatch(d -> d == null || d.isBlank())) {
                throw new IllegalArgumentException("class " + code + " needs at least one non-blank description");
            }
            copy.put(code, List.copyOf(descriptions));
        });
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a prompt dictionary needs at least one class");
        }
        return new PromptDictionary(java.util.Collections.unmodifiableMap(copy));
    }

    /** Reads a JSON prompt file. */
    public static PromptDictionary load(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the prompt dictionary: " + e, e);
        }
        return parse(json, file.toString());
    }

    public static PromptDictionary parse(String json, String source) {
        JsonObject root;
        try {
            root = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": not a JSON object of class code to descriptions", e);
        }
        Map<String, List<String>> prompts = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : root.entrySet()) {
            if (entry.getKey().startsWith("_")) {
                continue; // comments and metadata
            }
            List<String> descriptions = new ArrayList<>();
            JsonElement value = entry.getValue();
            if (value.isJsonArray()) {
                for (JsonElement d : value.getAsJsonArray()) {
                    descriptions.add(d.getAsString());
                }
            } else if (value.isJsonPrimitive()) {
                descriptions.add(value.getAsString());
            } else {
                throw new IllegalArgumentException(source + ": class " + entry.getKey()
                        + ": expected a description or a list of descriptions");
            }
            prompts.put(entry.getKey(), descriptions);
        }
        try {
            return of(prompts);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** Class codes in order. */
    public List<String> classes() {
        return List.copyOf(prompts.keySet());
    }

    public List<String> descriptions(String code) {
        return Objects.requireNonNull(prompts.get(code), () -> "no class " + code);
    }

    public Map<String, List<String>> asMap() {
        return prompts;
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        prompts.forEach((code, descriptions) -> {
            JsonArray array = new JsonArray();
            descriptions.forEach(array::add);
            json.add(code, array);
        });
        return json;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptDictionary p && prompts.equals(p.prompts);
    }

    @Override
    public int hashCode() {
        return prompts.hashCode();
    }
}
