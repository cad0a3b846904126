package org.tamer.routes.adapters.aecg;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.tamer.routes.adapters.AdapterFiles;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.XmlStreams;
import org.tamer.runtime.ecg.DecoderLimits;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.Lead;
import org.tamer.runtime.ecg.SourceMetadata;

/**
 * Reads HL7 v3 annotated ECG (aECG, {@code AnnotatedECG} in namespace {@code urn:hl7-org:v3}) with a streaming
 * parser: the rhythm series' first sequence set, its GLIST_TS time sequence (increment = sampling period) and one
 * SLIST_PQ sequence per lead coded {@code MDC_ECG_LEAD_*}, value = origin + scale × digit in the units given.
 * Derived series (representative beats) are skipped. The rhythm and interpretation annotations become the report.
 * Leads, samples and text are bounded by the {@link DecoderLimits}; digits are counted before they are decoded.
 */
public final class AnnotatedEcgReader {

    public static final String FORMAT = "HL7 aECG";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    /** Whether the start of a file looks like an annotated ECG. */
    public static boolean accepts(String head) {
        return head.contains("<AnnotatedECG");
    }

    private static final class Sequence {
        String code;
        String type;
        double origin;
        String originUnit = "uV";
        double scale = 1;
        String scaleUnit = "uV";
        double increment;
        String incrementUnit = "s";
        StringBuilder digits;
    }

    private final DecoderLimits limits;

    public AnnotatedEcgReader() {
        this(DecoderLimits.defaults());
    }

    public AnnotatedEcgReader(DecoderLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    public EcgRecord read(Path file) {
        return read(AdapterFiles.readBytes(file, file.toString()), file.toString());
    }

    public EcgRecord read(byte[] xml, String source) {
        XMLStreamReader r = XmlStreams.open(xml, source, limits);
        Deque<String> path = new ArrayDeque<>();
        List<Sequence> sequences = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        String id = null;
        String time = null;
        String device = null;
        String subject = null;
        boolean rhythmSetDone = false;
        boolean inRhythmSet = false;
        Sequence current = null;
        StringBuilder text = null;
        String lastAnnotationCode = null;
        try {
            boolean first = true;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    if (first) {
                        first = false;
                        if (!name.equals("AnnotatedECG")) {
                            throw new EcgFormatException(source, name, "root element is not AnnotatedECG: not an HL7 "
                                    + "annotated ECG");
                        }
                    }
                    String parent = path.peek();
                    path.push(name);
                    boolean inDerived = path.contains("derivedSeries");
                    if (name.equals("id") && path.size() == 2 && id == null) {
                        id = attr(r, "extension").orElse(attr(r, "root").orElse(null));
                    } else if (name.equals("center") && "effectiveTime".equals(parent) && path.size() == 3) {
                        time = attr(r, "value").orElse(null);
                    } else if (name.equals("low") && "effectiveTime".equals(parent) && time == null) {
                        time = attr(r, "value").orElse(null);
                    } else if (name.equals("id") && path.contains("subject") && subject == null) {
                        subject = attr(r, "extension").orElse(null);
                    } else if (name.equals("manufacturerModelName") && device == null) {
                        text = new StringBuilder();
                    } else if (name.equals("sequenceSet") && path.contains("series") && !inDerived && !rhythmSetDone) {
                        inRhythmSet = true;
                    } else if (inRhythmSet && name.equals("sequence")) {
                        current = new Sequence();
                    } else if (current != null && name.equals("code") && "sequence".equals(parent)) {
                        current.code = attr(r, "code").orElse("");
                    } else if (current != null && name.equals("value") && "sequence".equals(parent)) {
                        current.type = r.getAttributeValue("http://www.w3.org/2001/XMLSchema-instance", "type");
                    } else if (current != null && name.equals("origin")) {
                        current.origin = number(attr(r, "value").orElse("0"), source, "origin");
                        current.originUnit = attr(r, "unit").orElse("uV");
                    } else if (current != null && name.equals("scale")) {
                        current.scale = number(attr(r, "value").orElse("1"), source, "scale");
                        current.scaleUnit = attr(r, "unit").orElse("uV");
                    } else if (current != null && name.equals("increment")) {
                        current.increment = number(attr(r, "value").orElse("0"), source, "increment");
                        current.incrementUnit = attr(r, "unit").orElse("s");
                    } else if (current != null && name.equals("digits")) {
                        current.digits = new StringBuilder();
                    } else if (name.equals("code") && "annotation".equals(parent)) {
                        lastAnnotationCode = attr(r, "code").orElse("");
                    } else if (name.equals("value") && "annotation".equals(parent) && lastAnnotationCode != null
                            && (lastAnnotationCode.equals("MDC_ECG_RHY")
                            || lastAnnotationCode.startsWith("MDC_ECG_INTERPRETATION"))) {
                        Optional<String> display = attr(r, "displayName").or(() -> attr(r, "code"));
                        if (display.isPresent()) {
                            statements.add(display.get());
                        } else {
                            text = new StringBuilder();
                        }
                    }
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    if (current != null && current.digits != null && "digits".equals(path.peek())) {
                        current.digits.append(r.getText());
                    } else if (text != null) {
                        text.append(r.getText());
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String name = path.pop();
                    if (name.equals("manufacturerModelName") && text != null) {
                        device = text.toString().trim();
                        text = null;
                    } else if (name.equals("value") && text != null) {
                        String s = text.toString().trim();
                        if (!s.isEmpty()) {
                            statements.add(s);
                        }
                        text = null;
                    } else if (name.equals("sequence") && current != null) {
                        if (sequences.size() > limits.maxLeads()) { // the lead sequences and the time sequence
                            throw new EcgFormatException(source, "series/sequenceSet", DecoderLimits.exceeded(
                                    "more than " + sequences.size() + " sequences", "max-leads", limits.maxLeads()));
                        }
                        sequences.add(current);
                        current = null;
                    } else if (name.equals("sequenceSet") && inRhythmSet) {
                        inRhythmSet = false;
                        rhythmSetDone = true;
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new EcgFormatException(source, "XML", "not well-formed: " + e.getMessage(), e);
        }
        long statementText = statements.stream().mapToLong(String::length).sum();
        if (statementText > limits.maxTextLength()) {
            throw new EcgFormatException(source, "annotation/value", DecoderLimits.exceeded("the annotations hold "
                    + statementText + " characters", "max-text-length", limits.maxTextLength()));
        }
        return toRecord(sequences, statements, id, time, device, subject, source);
    }

    private EcgRecord toRecord(List<Sequence> sequences, List<String> statements, String id, String time,
                                      String device, String subject, String source) {
        Sequence clock = sequences.stream().filter(s -> "GLIST_TS".equals(s.type)).findFirst().orElseThrow(() ->
                new EcgFormatException(source, "series/sequenceSet", "no GLIST_TS time sequence, so the sampling "
                        + "rate is unknown"));
        double periodSeconds = clock.increment * switch (clock.incrementUnit) {
            case "s" -> 1.0;
            case "ms" -> 1e-3;
            default -> throw new EcgFormatException(source, "sequence TIME_ABSOLUTE/increment", "unit '"
                    + clock.incrementUnit + "' is not a time unit (s, ms)");
        };
        if (!(periodSeconds > 0)) {
            throw new EcgFormatException(source, "sequence TIME_ABSOLUTE/increment", "must be positive");
        }
        List<Lead> leads = new ArrayList<>();
        List<float[]> samples = new ArrayList<>();
        for (Sequence s : sequences) {
            if (!"SLIST_PQ".equals(s.type) || s.code == null || !s.code.startsWith("MDC_ECG_LEAD_")) {
                continue;
            }
            String field = "sequence " + s.code;
            if (s.digits == null) {
                throw new EcgFormatException(source, field + "/digits", "missing");
            }
            double origin = s.origin * millivolts(s.originUnit, source, field + "/origin");
            double scale = s.scale * millivolts(s.scaleUnit, source, field + "/scale");
            CharSequence digits = s.digits;
            int count = countTokens(digits);
            Optional<String> tooLarge = limits.signalViolation(leads.size() + 1, count);
            if (tooLarge.isPresent()) {
                throw new EcgFormatException(source, field + "/digits", tooLarge.get());
            }
            float[] values = new float[count];
            int i = 0;
            int at = 0;
            while (i < count) {
                while (Character.isWhitespace(digits.charAt(at))) {
                    at++;
                }
                int end = at;
                while (end < digits.length() && !Character.isWhitespace(digits.charAt(end))) {
                    end++;
                }
                String token = digits.subSequence(at, end).toString();
                try {
                    values[i] = (float) (origin + scale * Long.parseLong(token));
                } catch (NumberFormatException e) {
                    throw new EcgFormatException(source, field + "/digits", "value " + i + " is '"
                            + (token.length() > 40 ? token.substring(0, 40) + "…" : token) + "', not an integer", e);
                }
                i++;
                at = end;
            }
            leads.add(Lead.parse(s.code));
            samples.add(values);
        }
        if (leads.isEmpty()) {
            throw new EcgFormatException(source, "series/sequenceSet", "no SLIST_PQ lead sequence");
        }
        EcgSignal signal;
        try {
            signal = EcgSignal.adopt(1.0 / periodSeconds, leads, samples.toArray(new float[0][]));
        } catch (IllegalArgumentException e) {
            throw new EcgFormatException(source, "series/sequenceSet", e.getMessage(), e);
        }
        return new EcgRecord(id == null ? Path.of(source).getFileName().toString() : id, Optional.empty(),
                Optional.empty(), timestamp(time), signal,
                statements.isEmpty() ? Optional.empty() : Optional.of(String.join(". ", statements) + "."),
                new SourceMetadata(FORMAT, Optional.of(source), Optional.ofNullable(device)));
    }

    /** The number of whitespace-separated tokens. */
    private static int countTokens(CharSequence text) {
        int count = 0;
        boolean inToken = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inToken) {
                count++;
            }
            inToken = !space;
        }
        return count;
    }

    private static double millivolts(String unit, String source, String field) {
        return switch (unit) {
            case "uV", "µV" -> 1e-3;
            case "mV" -> 1.0;
            case "V" -> 1e3;
            default -> throw new EcgFormatException(source, field, "unit '" + unit + "' is not a voltage unit");
        };
    }

    private static Optional<OffsetDateTime> timestamp(String value) {
        if (value == null || value.length() < 14) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(value.substring(0, 14), TS).atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> attr(XMLStreamReader r, String name) {
        return Optional.ofNullable(r.getAttributeValue(null, name));
    }

    private static double number(String value, String source, String field) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new EcgFormatException(source, field, "not a number: '" + value + "'", e);
        }
    }
}
