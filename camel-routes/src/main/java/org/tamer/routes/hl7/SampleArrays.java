package org.tamer.routes.hl7;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.tamer.runtime.ecg.DecoderLimits;

/**
 * Lifts the OBX-5 of NA and MA segments out of a message before HAPI parses it, and gives them back by OBX-2, OBX-3
 * and OBX-4. HAPI's generic parsing of a composite grows quadratically with its component count (about 3 s for a
 * 12 x 5000 NA ECG), while the rest of the message parses in milliseconds; the arrays are plain numbers, read here.
 * Every other field goes to HAPI, so its separators (components, repetitions, subcomponents) are counted here first
 * and a field with more than the limit allows is refused before HAPI sees it (a TX OBX of 60,000 components took
 * HAPI 52 s). The number of segments is bounded too.
 */
final class SampleArrays {

    private final String stripped;
    private final Map<String, Deque<String>> arrays;

    private SampleArrays(String stripped, Map<String, Deque<String>> arrays) {
        this.stripped = stripped;
        this.arrays = arrays;
    }

    static SampleArrays lift(String message, MessageHeader header, DecoderLimits limits) {
        String separator = String.valueOf(header.fieldSeparator());
        Pattern fields = Pattern.compile(Pattern.quote(separator));
        String structure = header.encodingCharacters().substring(0, Math.min(4, header.encodingCharacters().length()))
                .replace(String.valueOf(header.encodingCharacters().charAt(2)), ""); // all but the escape
        StringBuilder out = new StringBuilder(Math.min(message.length(), 1 << 16));
        Map<String, Deque<String>> arrays = new HashMap<>();
        Map<String, Integer> occurrences = new HashMap<>();
        int segments = 0;
        int start = 0;
        while (start < message.length()) {
            int end = message.indexOf('\r', start);
            if (end < 0) {
                end = message.length();
            }
            String segment = message.substring(start, end);
            if (++segments > limits.maxElements()) {
                throw Hl7MessageException.error("MSH", Hl7Error.SEGMENT_SEQUENCE_ERROR, DecoderLimits.exceeded(
                        "the message has more than " + limits.maxElements() + " segments", "max-elements",
                        limits.maxElements()));
            }
            String name = segment.substring(0, Math.min(3, segment.length()));
            int occurrence = occurrences.merge(name, 1, Integer::sum);
            if (segment.startsWith("OBX" + separator)) {
                String[] f = fields.split(segment, 7);
                if (f.length > 5 && ("NA".equals(f[2]) || "MA".equals(f[2]))) {
                    arrays.computeIfAbsent(key(f[2], f[3], f[4]), k -> new ArrayDeque<>()).add(f[5]);
                    segment = String.join(separator, f[0], f[1], f[2], f[3], f[4], "")
                            + (f.length > 6 ? separator + f[6] : "");
                }
            }
            checkFields(segment, name, occurrence, header.fieldSeparator(), structure, limits);
            out.append(segment);
            if (end < message.length()) {
                out.append('\r');
            }
            start = end + 1;
        }
        return new SampleArrays(out.toString(), arrays);
    }

    /**
     * Refuses a field with more component, repetition or subcomponent separators than the limit allows.
     * MSH-2 holds the encoding characters themselves and is skipped.
     */
    private static void checkFields(String segment, String name, int occurrence, char fieldSeparator,
                                    String structure, DecoderLimits limits) {
        int field = name.equals("MSH") ? 1 : 0;
        int separators = 0;
        for (int i = 3; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == fieldSeparator) {
                field++;
                separators = 0;
            } else if (structure.indexOf(c) >= 0 && !(field == 2 && name.equals("MSH"))
                    && ++separators > limits.maxFieldComponents()) {
                throw Hl7MessageException.error(name + (occurrence > 1 ? "[" + occurrence + "]" : "") + "-" + field,
                        Hl7Error.DATA_TYPE_ERROR, DecoderLimits.exceeded("the field has more than "
                                + limits.maxFieldComponents() + " components, repetitions and subcomponents",
                                "max-field-components", limits.maxFieldComponents()));
            }
        }
    }

    /** The message with the array values removed, for HAPI. */
    String stripped() {
        return stripped;
    }

    /** The lifted OBX-5 of the next array segment with these fields (encoded text), or null if there is none. */
    String take(String valueType, String observationId, String subId) {
        Deque<String> queue = arrays.get(key(valueType, observationId, subId));
        return queue == null ? null : queue.poll();
    }

    private static String key(String valueType, String observationId, String subId) {
        return valueType + '\u0000' + observationId + '\u0000' + subId;
    }
}
