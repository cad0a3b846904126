package org.tamer.routes.hl7;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.routes.adapters.AdapterFiles;
import org.tamer.routes.adapters.EcgArchive;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * A folder of HL7 v2 message files, as interface engines archive them: one message per file, or batch files
 * (FHS/BHS … BTS/FTS) holding many. Segments may end with CR, CRLF or LF (files are often rewritten with the
 * platform's line ends; the segments are rejoined with CR before parsing). Every MSH starts a message; the batch
 * envelope segments are dropped. Keys are {@code relative/path#n} (n from 1), sorted by path; a file without any
 * MSH segment is listed as {@code path#1} and fails on reading, so a dataset build counts it instead of losing it.
 * Byte offsets are indexed once, so reading a message does not re-read the file before it.
 */
public final class Hl7MessageArchive implements EcgArchive {

    private record Span(Path file, long start, long end) {
    }

    private final Path root;
    private final Charset charset;
    private final Hl7WaveformAdapter adapter;
    private final Map<String, Span> spans = new LinkedHashMap<>();

    public Hl7MessageArchive(Path root, Charset charset, MdcLeadCodes leadCodes) {
        this.root = Objects.requireNonNull(root, "root");
        this.charset = Objects.requireNonNull(charset, "charset");
        this.adapter = new Hl7WaveformAdapter(leadCodes);
        List<Path> files = AdapterFiles.listFiles(root, file -> true);
        for (Path file : files) {
            index(file);
        }
    }

    /** An archive of files in ISO-8859-1 (the usual default of interface engines) with the project's lead codes. */
    public static Hl7MessageArchive of(Path root) {
        return new Hl7MessageArchive(root, java.nio.charset.StandardCharsets.ISO_8859_1, new MdcLeadCodes());
    }

    @Override
    public String layout() {
        return "HL7 v2 message files";
    }

    @Override
    public List<String> recordKeys() {
        return List.copyOf(spans.keySet());
    }

    @Override
    public EcgRecord read(String key) {
        Span span = spans.get(key);
        if (span == null) {
            throw new IllegalArgumentException("no message " + key + " in " + root);
        }
        String where = span.file() + " (" + key.substring(key.lastIndexOf('#')) + ")";
        if (span.end() <= span.start()) {
            throw new EcgFormatException(where, "MSH", "the file holds no HL7 v2 message (no MSH segment)");
        }
        String message = joinSegments(new String(AdapterFiles.readSpan(span.file(), span.start(), span.end()),
                charset));
        try {
            return adapter.read(message).record();
        } catch (Hl7MessageException e) {
            throw new EcgFormatException(where, e.location(), e.reason(), e);
        }
    }

    /** Finds the byte span of each message: from an MSH at a line start to the next MSH or batch trailer. */
    private void index(Path file) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        byte[] content = AdapterFiles.readBytes(file, root.toString());
        List<long[]> found = new ArrayList<>();
        long start = -1;
        int line = 0;
        while (line < content.length) {
            int next = line;
            while (next < content.length && content[next] != '\r' && content[next] != '\n') {
                next++;
            }
            String tag = segmentTag(content, line, next);
            if (tag.equals("MSH") || isBatchEnvelope(tag)) {
                if (start >= 0) {
                    found.add(new long[] {start, line});
                    start = -1;
                }
                if (tag.equals("MSH")) {
                    start = line;
                }
            }
            line = next;
            while (line < content.length && (content[line] == '\r' || content[line] == '\n')) {
                line++;
            }
        }
        if (start >= 0) {
            found.add(new long[] {start, content.length});
        }
        if (found.isEmpty()) {
            spans.put(relative + "#1", new Span(file, 0, 0));
        }
        for (int i = 0; i < found.size(); i++) {
            spans.put(relative + "#" + (i + 1), new Span(file, found.get(i)[0], found.get(i)[1]));
        }
    }

    private static String segmentTag(byte[] content, int from, int to) {
        if (to - from < 3) {
            return "";
        }
        return new String(content, from, 3, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static boolean isBatchEnvelope(String tag) {
        return tag.equals("FHS") || tag.equals("BHS") || tag.equals("BTS") || tag.equals("FTS");
    }

    /** The message with its segments separated by CR only, as HL7 v2 requires. */
    static String joinSegments(String text) {
        StringBuilder joined = new StringBuilder(text.length());
        for (String segment : text.split("\r\n|\r|\n")) {
            if (!segment.isEmpty()) {
                joined.append(segment).append('\r');
            }
        }
        return joined.toString();
    }
}
