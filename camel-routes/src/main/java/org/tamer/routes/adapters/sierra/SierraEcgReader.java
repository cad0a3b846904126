package org.tamer.routes.adapters.sierra;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * Reads Philips SierraECG / PhilipsECG XML (document versions 1.03, 1.04 and 1.04.01) with a streaming parser:
 * Base64 waveforms, uncompressed or XLI-compressed; for XLI files the limb leads III, aVR, aVL and aVF are stored
 * as residuals against the values derived from I and II and are reconstructed here. Samples are scaled by the
 * signal resolution (µV per unit). The interpretation's statements and severity become the report. Sizes are
 * bounded by the {@link DecoderLimits} before anything is allocated for them.
 */
public final class SierraEcgReader {

    public static final String FORMAT = "Philips SierraECG XML";
    private static final Set<String> TYPES = Set.of("SierraECG", "PhilipsECG");
    private static final Set<String> VERSIONS = Set.of("1.03", "1.04", "1.04.01");

    /** Whether the start of a file looks like a Sierra/Philips ECG document. */
    public static boolean accepts(String head) {
        return head.contains("<restingecgdata");
    }

    private final DecoderLimits limits;

    public SierraEcgReader() {
        this(DecoderLimits.defaults());
    }

    public SierraEcgReader(DecoderLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    public EcgRecord read(Path file) {
        return read(AdapterFiles.readBytes(file, file.toString()), file.toString());
    }

    public EcgRecord read(byte[] xml, String source) {
        Parsed p = parse(xml, source, limits);
        String type = p.text("documenttype");
        String version = p.text("documentversion");
        if (!TYPES.contains(type)) {
            throw new EcgFormatException(source, "documentinfo/documenttype", "'" + type
                    + "' is not a Philips ECG document (expected SierraECG or PhilipsECG)");
        }
        if (!VERSIONS.contains(version)) {
            throw new EcgFormatException(source, "documentinfo/documentversion", "version '" + version
                    + "' is not supported (supported: 1.03, 1.04, 1.04.01)");
        }
        double rate = p.number("samplingrate", source);
        double resolution = p.values.containsKey("signalresolution") ? p.number("signalresolution", source)
                : p.attribute("parsedwaveforms", "resolution").map(r -> decimal(r, source,
                        "parsedwaveforms@resolution")).orElseGet(() -> p.number("resolution", source));
        String encoding = p.attribute("parsedwaveforms", "dataencoding").orElse("");
        if (!encoding.equals("Base64")) {
            throw new EcgFormatException(source, "parsedwaveforms@dataencoding", "'" + encoding
                    + "' is not supported (Base64 only)");
        }
        String compression = p.attribute("parsedwaveforms", "compressmethod")
                .or(() -> p.attribute("parsedwaveforms", "compression")).orElse("Uncompressed");
        byte[] data;
        try {
            data = Base64.getMimeDecoder().decode(p.text("parsedwaveforms"));
        } catch (IllegalArgumentException e) {
            throw new EcgFormatException(source, "parsedwaveforms", "not valid Base64: " + e.getMessage(), e);
        }
        List<String> labels = labels(p, source);
        List<short[]> stored;
        if (compression.equals("XLI")) {
            stored = XliDecoder.decode(data, source, limits);
        } else if (compression.equals("Uncompressed") || compression.equals("False")) {
            stored = split(data, labels.size(), source);
        } else {
            throw new EcgFormatException(source, "parsedwaveforms@compressmethod", "'" + compression
                    + "' is not supported (XLI or uncompressed)");
        }
        if (stored.size() < labels.size()) {
            throw new EcgFormatException(source, "parsedwaveforms", "holds " + stored.size() + " leads but "
                    + labels.size() + " are labelled");
        }
        int length = Integer.MAX_VALUE;
        for (int i = 0; i < labels.size(); i++) {
            length = Math.min(length, stored.get(i).length);
        }
        Optional<String> tooLarge = limits.signalViolation(labels.size(), length);
        if (tooLarge.isPresent()) {
            throw new EcgFormatException(source, "parsedwaveforms", tooLarge.get());
        }
        int[][] values = new int[labels.size()][length];
        for (int i = 0; i < labels.size(); i++) {
            for (int t = 0; t < length; t++) {
                values[i][t] = stored.get(i)[t];
            }
        }
        if (compression.equals("XLI") && labels.size() >= 6 && labels.subList(0, 6)
                .equals(List.of("I", "II", "III", "aVR", "aVL", "aVF"))) {
            reconstructLimbLeads(values, length);
        }
        float[][] millivolts = new float[labels.size()][length];
        for (int i = 0; i < labels.size(); i++) {
            for (int t = 0; t < length; t++) {
                millivolts[i][t] = (float) (values[i][t] * resolution / 1000.0);
            }
        }
        List<Lead> leads = labels.stream().map(Lead::parse).toList();
        EcgSignal signal;
        try {
            signal = EcgSignal.adopt(rate, leads, millivolts);
        } catch (IllegalArgumentException e) {
            throw new EcgFormatException(source, "parsedwaveforms", e.getMessage(), e);
        }
        List<String> statements = new ArrayList<>(p.statements);
        p.optionalText("severity").map(s -> s.replaceAll("^[-\\s]+|[-\\s]+$", "")).filter(s -> !s.isEmpty())
                .ifPresent(statements::add);
        String report = statements.isEmpty() ? null : String.join(". ", statements) + ".";
        String id = p.attribute("dataacquisition", "date").orElse("") + "T" + p.attribute("dataacquisition", "time")
                .orElse("") + "-" + p.optionalText("patientid").orElse("unknown");
        return new EcgRecord(id, Optional.empty(), Optional.empty(), acquisitionTime(p), signal,
                Optional.ofNullable(report),
                new SourceMetadata(FORMAT, Optional.of(source), p.optionalText("machine")));
    }

    /** III, aVR, aVL and aVF from their stored residuals and leads I and II (floor division, as the encoder). */
    private static void reconstructLimbLeads(int[][] v, int length) {
        for (int t = 0; t < length; t++) {
            int leadI = v[0][t];
            int leadII = v[1][t];
            int leadIII = leadII - leadI - v[2][t];
            v[2][t] = leadIII;
            v[3][t] = -v[3][t] - Math.floorDiv(leadI + leadII, 2);
            v[4][t] = Math.floorDiv(leadI - leadIII, 2) - v[4][t];
            v[5][t] = Math.floorDiv(leadII + leadIII, 2) - v[5][t];
        }
    }

    private static List<short[]> split(byte[] data, int leads, String source) {
        if (leads == 0 || data.length % (2 * leads) != 0) {
            throw new EcgFormatException(source, "parsedwaveforms", data.length + " bytes do not divide into "
                    + leads + " leads of 16-bit samples");
        }
        int n = data.length / 2 / leads;
        List<short[]> out = new ArrayList<>();
        for (int l = 0; l < leads; l++) {
            short[] lead = new short[n];
            for (int t = 0; t < n; t++) {
                int p = 2 * (l * n + t);
                lead[t] = (short) ((data[p] & 0xff) | (data[p + 1] & 0xff) << 8);
            }
            out.add(lead);
        }
        return out;
    }

    private List<String> labels(Parsed p, String source) {
        Optional<String> labels = p.attribute("parsedwaveforms", "leadlabels");
        if (labels.isPresent() && !labels.get().isBlank()) {
            List<String> all = List.of(labels.get().trim().split("\\s+"));
            int count = p.attribute("parsedwaveforms", "numberofleads").map(n -> count(n, source))
                    .orElse(all.size());
            if (Math.min(count, all.size()) > limits.maxLeads()) {
                throw new EcgFormatException(source, "parsedwaveforms@leadlabels", DecoderLimits.exceeded(
                        Math.min(count, all.size()) + " leads", "max-leads", limits.maxLeads()));
            }
            return all.subList(0, Math.max(0, Math.min(count, all.size())));
        }
        String type = p.optionalText("acquisitiontype").orElse("STD-12");
        int channels = (int) Math.max(0, p.number("numberchannelsallocated", source));
        if (!type.equals("STD-12") && !type.equals("10-WIRE")) {
            throw new EcgFormatException(source, "signalcharacteristics/acquisitiontype", "'" + type
                    + "' has no known lead order and the file gives no lead labels");
        }
        List<String> standard = List.of("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6");
        return standard.subList(0, Math.min(channels, standard.size()));
    }

    private static double decimal(String value, String source, String field) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new EcgFormatException(source, field, "not a number: '" + value + "'", e);
        }
    }

    private static int count(String value, String source) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new EcgFormatException(source, "parsedwaveforms@numberofleads", "not a whole number: '" + value
                    + "'", e);
        }
    }

    private static Optional<OffsetDateTime> acquisitionTime(Parsed p) {
        Optional<String> date = p.attribute("dataacquisition", "date");
        Optional<String> time = p.attribute("dataacquisition", "time");
        if (date.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(date.get()).atTime(time.map(LocalTime::parse).orElse(LocalTime.MIDNIGHT))
                    .atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty(); // de-identified files write XXXX
        }
    }

    /** The elements the reader needs, collected in one streaming pass. */
    private static final class Parsed {
        private final Map<String, String> values = new HashMap<>();
        private final Map<String, Map<String, String>> attributes = new HashMap<>();
        private final List<String> statements = new ArrayList<>();

        String text(String element) {
            String value = values.get(element);
            if (value == null) {
                throw new EcgFormatException("", element, "missing");
            }
            return value.trim();
        }

        Optional<String> optionalText(String element) {
            return Optional.ofNullable(values.get(element)).map(String::trim).filter(s -> !s.isEmpty());
        }

        double number(String element, String source) {
            String value = values.get(element);
            if (value == null) {
                throw new EcgFormatException(source, element, "missing");
            }
            try {
                return Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new EcgFormatException(source, element, "not a number: '" + value.trim() + "'", e);
            }
        }

        Optional<String> attribute(String element, String name) {
            return Optional.ofNullable(attributes.getOrDefault(element, Map.of()).get(name));
        }
    }

    private static final Set<String> WANTED = Set.of("documenttype", "documentversion", "samplingrate",
            "signalresolution", "resolution", "acquisitiontype", "numberchannelsallocated", "parsedwaveforms",
            "machine", "patientid", "severity");

    private static Parsed parse(byte[] xml, String source, DecoderLimits limits) {
        Parsed parsed = new Parsed();
        Deque<String> path = new ArrayDeque<>();
        int interpretations = 0;
        long statementText = 0;
        try {
            XMLStreamReader reader = XmlStreams.open(xml, source, limits);
            StringBuilder text = null;
            String capturing = null;
            boolean rootChecked = false;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = reader.getLocalName();
                    if (!rootChecked) {
                        rootChecked = true;
                        if (!name.equals("restingecgdata")) {
                            throw new EcgFormatException(source, name, "root element is not restingecgdata: not a "
                                    + "Philips ECG document");
                        }
                    }
                    path.push(name);
                    if (name.equals("interpretation")) {
                        interpretations++;
                    }
                    if (!parsed.attributes.containsKey(name) && reader.getAttributeCount() > 0) {
                        Map<String, String> attrs = new HashMap<>();
                        for (int i = 0; i < reader.getAttributeCount(); i++) {
                            attrs.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
                        }
                        parsed.attributes.put(name, attrs);
                    }
                    boolean statement = name.equals("leftstatement") && interpretations <= 1;
                    boolean wanted = WANTED.contains(name) && !parsed.values.containsKey(name)
                            && (!name.equals("severity") || interpretations <= 1);
                    if (statement || wanted) {
                        capturing = name;
                        text = new StringBuilder();
                    }
                } else if ((event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)
                        && text != null) {
                    text.append(reader.getText());
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String name = path.pop();
                    if (name.equals(capturing)) {
                        if (name.equals("leftstatement")) {
                            String s = text.toString().trim();
                            statementText += s.length();
                            if (statementText > limits.maxTextLength()) {
                                throw new EcgFormatException(source, "interpretation/statement", DecoderLimits
                                        .exceeded("the statements hold more than " + limits.maxTextLength()
                                                + " characters", "max-text-length", limits.maxTextLength()));
                            }
                            if (!s.isEmpty()) {
                                parsed.statements.add(s);
                            }
                        } else {
                            parsed.values.put(name, text.toString());
                        }
                        capturing = null;
                        text = null;
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new EcgFormatException(source, "XML", "not well-formed: " + e.getMessage(), e);
        }
        if (!parsed.values.containsKey("parsedwaveforms")) {
            throw new EcgFormatException(source, "waveforms/parsedwaveforms", "missing: the file holds no waveform");
        }
        for (String required : List.of("documenttype", "documentversion", "samplingrate")) {
            if (!parsed.values.containsKey(required)) {
                throw new EcgFormatException(source, required, "missing");
            }
        }
        return parsed;
    }
}
