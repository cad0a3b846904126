package org.tamer.training.eval;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label map for domain-shift evaluation, read from a JSON file {@code {"class": ["source label", ...], ...}}:
 * an evaluated class is positive for an example carrying any of its source labels. Every mapped class must be one
 * of the evaluated (prompt) classes, appear once and list at least one source label (strings); anything else is
 * refused with the file, the line and the reason.
 */
public final class LabelMap {

    private static final Pattern LINE = Pattern.compile("line (\\d+)");

    private LabelMap() {
    }

    public static Map<String, List<String>> read(Path file, Collection<String> classes) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the label map " + file, e);
        }
        JsonReader reader = new JsonReader(new StringReader(text));
        Map<String, List<String>> map = new LinkedHashMap<>();
        try {
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                throw refused(file, reader, "expected a JSON object {\"class\": [\"source label\", ...]}, found "
                        + reader.peek());
            }
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                int line = line(reader);
                if (map.containsKey(name)) {
                    throw refused(file, line, "class " + name + " is mapped twice");
                }
                if (!classes.contains(name)) {
                    throw refused(file, line, "class " + name + " is not one of the evaluated classes " + classes);
                }
                if (reader.peek() != JsonToken.BEGIN_ARRAY) {
                    throw refused(file, line, "class " + name + ": expected a list of source labels, found "
                            + reader.peek());
                }
                reader.beginArray();
                List<String> labels = new ArrayList<>();
                while (reader.hasNext()) {
                    if (reader.peek() != JsonToken.STRING) {
                        throw refused(file, reader, "class " + name + ": a source label must be a string, found "
                                + reader.peek());
                    }
                    labels.add(reader.nextString());
                }
                reader.endArray();
                if (labels.isEmpty()) {
                    throw refused(file, line, "class " + name + " lists no source label");
                }
                map.put(name, List.copyOf(labels));
            }
            reader.endObject();
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw refused(file, reader, "text after the object");
            }
        } catch (IOException | IllegalStateException e) {
            // MalformedJsonException and the reader's own state errors: the syntax is wrong
            throw refused(file, reader, "not valid JSON (" + e.getMessage() + ")");
        }
        return map;
    }

    private static int line(JsonReader reader) {
        Matcher m = LINE.matcher(reader.toString());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static IllegalArgumentException refused(Path file, JsonReader reader, String reason) {
        return refused(file, line(reader), reason);
    }

    private static IllegalArgumentException refused(Path file, int line, String reason) {
        return new IllegalArgumentException("label map " + file + ", line " + line + ": " + reason);
    }
}
