package org.tamer.routes.adapters.muse;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
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
import org.tamer.runtime.ecg.StandardLead;

/**
 * Reads GE MUSE XML ({@code RestingECG}): the {@code Rhythm} waveform's {@code LeadData}, each lead Base64 of
 * little-endian 16-bit samples scaled by {@code LeadAmplitudeUnitsPerBit} in {@code LeadAmplitudeUnits}, checked
 * against {@code LeadDataCRC32} when present. MUSE stores I, II and V1–V6; III, aVR, aVL and aVF are derived
 * (Einthoven and Goldberger). The {@code Diagnosis} statements become the report. Leads, samples and text are
 * bounded by the {@link DecoderLimits}.
 */
public final class MuseXmlReader {

    public static final String FORMAT = "GE MUSE XML";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MM-dd-yyyy");

    /** Whether the start of a file looks like a MUSE resting ECG. */
    public static boolean accepts(String head) {
        return head.contains("<RestingECG");
    }

    private static final class LeadData {
        final Map<String, String> fields = new LinkedHashMap<>();
    }

    private final DecoderLimits limits;

    public MuseXmlReader() {
        this(DecoderLimits.defaults());
    }

    public MuseXmlReader(DecoderLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    public EcgRecord read(Path file) {
        return read(AdapterFiles.readBytes(file, file.toString()), file.toString());
    }

    public EcgRecord read(byte[] xml, String source) {
        XMLStreamReader r = XmlStreams.open(xml, source, limits);
        Map<String, String> top = new LinkedHashMap<>();
        List<String> statements = new ArrayList<>();
        List<LeadData> leads = new ArrayList<>();
        String waveformType = null;
        String sampleBase = null;
        boolean inRhythm = false;
        boolean inDiagnosis = false;
        LeadData lead = null;
        StringBuilder text = new StringBuilder();
        long statementText = 0;
        try {
            boolean first = true;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    if (first) {
                        first = false;
                        if (!name.equals("RestingECG")) {
                            throw new EcgFormatException(source, name, "root element is not RestingECG: not a MUSE "
                                    + "resting ECG");
                        }
                    }
                    if (name.equals("Waveform")) {
                        waveformType = null;
                        inRhythm = false;
                    } else if (name.equals("Diagnosis")) {
                        inDiagnosis = true;
                    } else if (name.equals("LeadData") && inRhythm) {
                        lead = new LeadData();
                    }
                    text.setLength(0);
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    text.append(r.getText());
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String name = r.getLocalName();
                    String value = text.toString().trim();
                    if (name.equals("WaveformType")) {
                        waveformType = value;
                        inRhythm = value.equalsIgnoreCase("Rhythm");
                    } else if (name.equals("SampleBase") && inRhythm) {
                        sampleBase = value;
                    } else if (name.equals("LeadData") && lead != null) {
                        if (leads.size() == limits.maxLeads()) {
                            throw new EcgFormatException(source, "Waveform/LeadData", DecoderLimits.exceeded(
                                    "more than " + limits.maxLeads() + " leads", "max-leads", limits.maxLeads()));
                        }
                        leads.add(lead);
                        lead = null;
                    } else if (lead != null) {
                        lead.fields.put(name, value);
                    } else if (name.equals("StmtText") && inDiagnosis && !value.isEmpty()) {
                        statementText += value.length();
                        if (statementText > limits.maxTextLength()) {
                            throw new EcgFormatException(source, "Diagnosis/StmtText", DecoderLimits.exceeded(
                                    "the statements hold more than " + limits.maxTextLength() + " characters",
                                    "max-text-length", limits.maxTextLength()));
                        }
                        statements.add(value);
                    } else if (name.equals("Diagnosis")) {
                        inDiagnosis = false;
                    } else if (!top.containsKey(name)) {
                        top.put(name, value);
                    }
                    text.setLength(0);
                }
            }
        } catch (XMLStreamException e) {
            throw new EcgFormatException(source, "XML", "not well-formed: " + e.getMessage(), e);
        }
        if (leads.isEmpty()) {
            throw new EcgFormatException(source, "Waveform[WaveformType=Rhythm]/LeadData", "missing: no rhythm waveform");
        }
        if (sampleBase == null) {
            throw new EcgFormatException(source, "Waveform/SampleBase", "missing");
        }
        double rate = number(sampleBase, source, "Waveform/SampleBase");
        Map<StandardLead, float[]> byLead = new LinkedHashMap<>();
        List<Lead> order = new ArrayList<>();
        List<float[]> samples = new ArrayList<>();
        for (LeadData data : leads) {
            String id = require(data, "LeadID", source);
            String field = "LeadData[" + id + "]";
            Lead parsed = Lead.parse(id);
            float[] values = decode(data, source, field, order.size() + 1);
            order.add(parsed);
            samples.add(values);
            if (parsed instanceof StandardLead standard) {
                byLead.put(standard, values);
            }
        }
        deriveLimbLeads(byLead, order, samples);
        EcgSignal signal;
        try {
            signal = EcgSignal.adopt(rate, order, samples.toArray(new float[0][]));
        } catch (IllegalArgumentException e) {
            throw new EcgFormatException(source, "Waveform/LeadData", e.getMessage(), e);
        }
        return new EcgRecord(Optional.ofNullable(top.get("PatientID")).orElse("muse") + "-"
                + Optional.ofNullable(top.get("AcquisitionDate")).orElse("") + "T"
                + Optional.ofNullable(top.get("AcquisitionTime")).orElse(""), Optional.empty(), Optional.empty(),
                time(top.get("AcquisitionDate"), top.get("AcquisitionTime")), signal,
                statements.isEmpty() ? Optional.empty() : Optional.of(String.join(". ", statements) + "."),
                new SourceMetadata(FORMAT, Optional.of(source), Optional.ofNullable(top.get("AcquisitionDevice"))));
    }

    /** Adds III, aVR, aVL and aVF from I and II when the file does not store them. */
    private static void deriveLimbLeads(Map<StandardLead, float[]> byLead, List<Lead> order, List<float[]> samples) {
        float[] i = byLead.get(StandardLead.I);
        float[] ii = byLead.get(StandardLead.II);
        if (i == null || ii == null || byLead.containsKey(StandardLead.III)) {
            return;
        }
        int n = Math.min(i.length, ii.length);
        float[] iii = new float[n];
        float[] avr = new float[n];
        float[] avl = new float[n];
        float[] avf = new float[n];
        for (int t = 0; t < n; t++) {
            iii[t] = ii[t] - i[t];
            avr[t] = -(i[t] + ii[t]) / 2f;
            avl[t] = i[t] - ii[t] / 2f;
            avf[t] = ii[t] - i[t] / 2f;
        }
        int at = order.indexOf(StandardLead.II) + 1;
        order.addAll(at, List.of(StandardLead.III, StandardLead.AVR, StandardLead.AVL, StandardLead.AVF));
        samples.addAll(at, List.of(iii, avr, avl, avf));
    }

    /** One lead's samples; {@code leads} counts it with those decoded before it, for the limits. */
    private float[] decode(LeadData data, String source, String field, int leads) {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(require(data, "WaveFormData", source));
        } catch (IllegalArgumentException e) {
            throw new EcgFormatException(source, field + "/WaveFormData", "not valid Base64: " + e.getMessage(), e);
        }
        int sampleSize = (int) number(data.fields.getOrDefault("LeadSampleSize", "2"), source, field
                + "/LeadSampleSize");
        if (sampleSize != 2) {
            throw new EcgFormatException(source, field + "/LeadSampleSize", sampleSize + " bytes per sample is not "
                    + "supported (2)");
        }
        String crc = data.fields.get("LeadDataCRC32");
        if (crc != null && !crc.isEmpty()) {
            CRC32 checksum = new CRC32();
            checksum.update(bytes);
            if (checksum.getValue() != (long) number(crc, source, field + "/LeadDataCRC32")) {
                throw new EcgFormatException(source, field + "/LeadDataCRC32", "is " + crc + " but the data's CRC-32 "
                        + "is " + checksum.getValue() + ": the waveform is corrupt");
            }
        }
        int count = bytes.length / 2;
        String declared = data.fields.get("LeadSampleCountTotal");
        if (declared != null && number(declared, source, field + "/LeadSampleCountTotal") != count) {
            throw new EcgFormatException(source, field + "/LeadSampleCountTotal", "says " + declared + " samples but "
                    + count + " are encoded");
        }
        double perBit = number(require(data, "LeadAmplitudeUnitsPerBit", source), source, field
                + "/LeadAmplitudeUnitsPerBit");
        String units = data.fields.getOrDefault("LeadAmplitudeUnits", "MICROVOLTS");
        double scale = perBit * switch (units) {
            case "MICROVOLTS" -> 1e-3;
            case "MILLIVOLTS" -> 1.0;
            default -> throw new EcgFormatException(source, field + "/LeadAmplitudeUnits", "'" + units
                    + "' is not MICROVOLTS or MILLIVOLTS");
        };
        Optional<String> tooLarge = limits.signalViolation(leads, count);
        if (tooLarge.isPresent()) {
            throw new EcgFormatException(source, field + "/WaveFormData", tooLarge.get());
        }
        float[] values = new float[count];
        for (int t = 0; t < count; t++) {
            short raw = (short) ((bytes[2 * t] & 0xff) | (bytes[2 * t + 1] & 0xff) << 8);
            values[t] = (float) (raw * scale);
        }
        return values;
    }

    private static String require(LeadData data, String name, String source) {
        String value = data.fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new EcgFormatException(source, "LeadData/" + name, "missing");
        }
        return value;
    }

    private static double number(String value, String source, String field) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new EcgFormatException(source, field, "not a number: '" + value + "'", e);
        }
    }

    private static Optional<OffsetDateTime> time(String date, String time) {
        if (date == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(date, DATE).atTime(time == null ? LocalTime.MIDNIGHT
                    : LocalTime.parse(time)).atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
