package org.tamer.routes.hl7;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Lifts the OBX-5 of NA and MA segments out of a message before HAPI parses it, and gives them back by OBX-2, OBX-3
 * and OBX-4. HAPI's generic parsing of a composite grows quadratically with its component count (about 3 s for a
 * 12 x 5000 NA ECG), while the rest of the message parses in milliseconds; the arrays are plain numbers, read here.
 */
final class SampleArrays {

    private final String stripped;
    private final Map<String, Deque<String>> arrays;

    private SampleArrays(String stripped, Map<String, Deque<String>> arrays) {
        this.stripped = stripped;
        this.arrays = arrays;
    }

    static SampleArrays lift(String message, MessageHeader header) {
        String separator = String.valueOf(header.fieldSeparator());
        Pattern fields = Pattern.compile(Pattern.quote(separator));
        StringBuilder out = new StringBuilder(Math.min(message.length(), 1 << 16));
        Map<String, Deque<String>> arrays = new HashMap<>();
        int start = 0;
        while (start < message.length()) {
            int end = message.indexOf('\r', start);
            if (end < 0) {
                end = message.length();
            }
            String segment = message.substring(start, end);
            if (segment.startsWith("OBX" + separator)) {
                String[] f = fields.split(segment, 7);
                if (f.length > 5 && ("NA".equals(f[2]) || "MA".equals(f[2]))) {
                    arrays.computeIfAbsent(key(f[2], f[3], f[4]), k -> new ArrayDeque<>()).add(f[5]);
                    segment = String.join(separator, f[0], f[1], f[2], f[3], f[4], "")
                            + (f.length > 6 ? separator + f[6] : "");
                }
            }
            out.append(segment);
            if (end < message.length()) {
                out.append('\r');
            }
            start = end + 1;
        }
        return new SampleArrays(out.toString(), arrays);
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
