package org.tamer.routes.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.ReadOnlyMessageIterator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.Closeable;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.runtime.ecg.DecoderLimits;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.SourceMetadata;

/**
 * Reads an HL7 v2.3–2.8 ORU^R01 or ORU^W01 carrying an ECG into an {@link EcgRecord}: the envelope is checked from
 * the raw text (CR segment separators, MSH-2, MSH-9, MSH-10, MSH-11, MSH-12), the message is parsed with HAPI
 * HL7v2 (every version onto the v2.5.1 model), and the waveform is read from OBX segments in the chapter 7 style (CD,
 * TS, MA or NA, grouped by OBX-4) or the IHE PCD-01 style (NA with MDC lead codes in OBX-3, units in OBX-6). TX,
 * FT and ST OBX segments become the report text. Every problem is an {@link Hl7MessageException} naming the field.
 * Sizes are bounded by the {@link DecoderLimits}: fields are counted before HAPI parses them, sample arrays before
 * they are split. Thread-safe.
 */
public final class Hl7WaveformAdapter implements Closeable {

    public static final String FORMAT = "HL7v2";

    private final HapiContext hapi;
    private final MdcLeadCodes leadCodes;
    private final DecoderLimits limits;

    public Hl7WaveformAdapter(MdcLeadCodes leadCodes) {
        this(leadCodes, DecoderLimits.defaults());
    }

    public Hl7WaveformAdapter(MdcLeadCodes leadCodes, DecoderLimits limits) {
        this.leadCodes = leadCodes;
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        this.hapi = new DefaultHapiContext();
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.setModelClassFactory(new OruModelClassFactory());
    }

    /**
     * @param message the message text, segments separated by CR
     * @throws Hl7MessageException if the message is not an ECG result the gateway can read
     */
    public Hl7Ecg read(String message) {
        MessageHeader header = MessageHeader.read(message);
        checkEnvelope(header, message);
        SampleArrays arrays = SampleArrays.lift(message, header, limits);
        Message parsed;
        try {
            parsed = hapi.getPipeParser().parse(arrays.stripped());
        } catch (HL7Exception e) {
            var where = e.getLocation();
            String location = where == null || where.getSegmentName() == null ? "MSH" : where.getSegmentName()
                    + (where.getSegmentRepetition() > 1 ? "[" + where.getSegmentRepetition() + "]" : "")
                    + (where.getField() > 0 ? "-" + where.getField() : "");
            throw Hl7MessageException.error(location, Hl7Error.DATA_TYPE_ERROR,
                    "HAPI could not parse the message: " + e.getMessageWithoutLocation(), e);
        }
        return new Hl7Ecg(header, toRecord(header, parsed, arrays));
    }

    private static void checkEnvelope(MessageHeader header, String message) {
        int lf = message.indexOf('\n');
        if (lf >= 0) {
            int end = lf > 0 && message.charAt(lf - 1) == '\r' ? lf - 1 : lf;
            int start = Math.max(message.lastIndexOf('\r', end - 1), message.lastIndexOf('\n', end - 1)) + 1;
            String segment = message.substring(start, Math.min(start + 3, message.length()));
            throw Hl7MessageException.reject(segment, Hl7Error.SEGMENT_SEQUENCE_ERROR, "segment " + segment
                    + " ends with LF (0x0A) at character " + lf + "; HL7 v2 separates segments with CR (0x0D) only");
        }
        if (!"ORU".equals(header.messageType())) {
            throw Hl7MessageException.reject("MSH-9", Hl7Error.UNSUPPORTED_MESSAGE_TYPE, "message type '"
                    + header.messageType() + "' is not supported; the gateway reads ORU^R01 and ORU^W01");
        }
        if (!"R01".equals(header.triggerEvent()) && !"W01".equals(header.triggerEvent())) {
            throw Hl7MessageException.reject("MSH-9.2", Hl7Error.UNSUPPORTED_EVENT_CODE, "trigger event '"
                    + header.triggerEvent() + "' is not supported; the gateway reads ORU^R01 and ORU^W01");
        }
        if (header.controlId().isBlank()) {
            throw Hl7MessageException.reject("MSH-10", Hl7Error.REQUIRED_FIELD_MISSING,
                    "the message control id is empty");
        }
        if (!List.of("P", "T", "D").contains(header.processingId())) {
            throw Hl7MessageException.reject("MSH-11", Hl7Error.UNSUPPORTED_PROCESSING_ID, "processing id '"
                    + header.processingId() + "' is not one of P, T, D");
        }
        if (!MessageHeader.SUPPORTED_VERSIONS.contains(header.version())) {
            throw Hl7MessageException.reject("MSH-12", Hl7Error.UNSUPPORTED_VERSION_ID, "version '"
                    + header.version() + "' is not supported; the gateway reads 2.3 to 2.8.1");
        }
    }

    private EcgRecord toRecord(MessageHeader header, Message message, SampleArrays arrays) {
        EncodingCharacters encoding = new EncodingCharacters(header.fieldSeparator(), header.encodingCharacters());
        Hl7Text text = new Hl7Text(header.fieldSeparator(), header.encodingCharacters());
        List<ObxSegment> observations = new ArrayList<>();
        Optional<String> subject = Optional.empty();
        Optional<String> recordId = Optional.empty();
        Optional<OffsetDateTime> acquired = Optional.empty();
        boolean hasObr = false;
        int obxCount = 0;
        for (Structure structure : iterable(message)) {
            if (!(structure instanceof Segment segment) || isEmpty(segment)) {
                continue;
            }
            switch (segment.getName()) {
                case "PID" -> subject = firstComponent(field(segment, 3, encoding), header)
                        .map(id -> "Patient/" + text.unescape(id));
                case "OBR" -> {
                    if (!hasObr) {
                        hasObr = true;
                        recordId = firstComponent(field(segment, 3, encoding), header)
                                .or(() -> firstComponent(field(segment, 2, encoding), header)).map(text::unescape);
                        acquired = Hl7Time.parse(firstComponent(field(segment, 7, encoding), header).orElse(""));
                    }
                }
                case "OBX" -> {
                    obxCount++;
                    String type = field(segment, 2, encoding);
                    String id = field(segment, 3, encoding);
                    String sub = field(segment, 4, encoding);
                    String lifted = "NA".equals(type) || "MA".equals(type) ? arrays.take(type, id, sub) : null;
                    observations.add(new ObxSegment(obxCount, type, id, sub,
                            lifted != null ? lifted : field(segment, 5, encoding), field(segment, 6, encoding)));
                }
                default -> {
                }
            }
        }
        if (!hasObr) {
            throw Hl7MessageException.error("OBR", Hl7Error.REQUIRED_FIELD_MISSING,
                    "the message has no OBR segment ordering the ECG");
        }
        WaveformReader reader = new WaveformReader(header, leadCodes, limits);
        var signal = reader.read(observations);
        String report = observations.stream().filter(o -> List.of("TX", "FT", "ST").contains(o.valueType()))
                .map(o -> text.unescape(o.value().replace(header.encodingCharacters().charAt(1), '\n')))
                .filter(s -> !s.isBlank()).collect(java.util.stream.Collectors.collectingAndThen(
                        java.util.stream.Collectors.joining("\n"), s -> s.isEmpty() ? null : s));
        if (report != null && report.length() > limits.maxTextLength()) {
            throw Hl7MessageException.error("OBX-5", Hl7Error.DATA_TYPE_ERROR, DecoderLimits.exceeded("the report "
                    + "text (TX, FT, ST) has " + report.length() + " characters", "max-text-length",
                    limits.maxTextLength()));
        }
        String id = recordId.filter(s -> !s.isBlank()).orElse(header.sendingFacility() + "-" + header.controlId());
        OffsetDateTime acquisition = acquired.or(reader::startTime).orElse(null);
        EcgRecord record = new EcgRecord(id, subject, Optional.empty(), Optional.ofNullable(acquisition), signal,
                Optional.ofNullable(report), new SourceMetadata(FORMAT, Optional.empty(),
                Optional.of(header.sendingApplication() + "@" + header.sendingFacility())));
        return record;
    }

    private static Iterable<Structure> iterable(Message message) {
        return () -> new ReadOnlyMessageIterator(message);
    }

    private static boolean isEmpty(Segment segment) {
        try {
            return segment.isEmpty();
        } catch (HL7Exception e) {
            throw Hl7MessageException.error(segment.getName(), Hl7Error.APPLICATION_INTERNAL_ERROR,
                    "could not inspect segment: " + e.getMessage(), e);
        }
    }

    /** The field's repetitions encoded with the message's separators and joined by its repetition separator. */
    private static String field(Segment segment, int number, EncodingCharacters encoding) {
        try {
            if (number > segment.numFields()) {
                return "";
            }
            var repetitions = segment.getField(number);
            if (repetitions.length == 1) {
                return PipeParser.encode(repetitions[0], encoding);
            }
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < repetitions.length; i++) {
                if (i > 0) {
                    joined.append(encoding.getRepetitionSeparator());
                }
                joined.append(PipeParser.encode(repetitions[i], encoding));
            }
            return joined.toString();
        } catch (HL7Exception e) {
            throw Hl7MessageException.error(segment.getName() + "-" + number, Hl7Error.DATA_TYPE_ERROR,
                    "could not read the field: " + e.getMessage(), e);
        }
    }

    private static Optional<String> firstComponent(String value, MessageHeader header) {
        int at = value.indexOf(header.componentSeparator());
        String first = at < 0 ? value : value.substring(0, at);
        return first.isBlank() ? Optional.empty() : Optional.of(first);
    }

    /** Parses every ORU version onto the v2.5.1 ORU_R01 structure, which also carries the W01 waveform result. */
    private static final class OruModelClassFactory extends CanonicalModelClassFactory {

        private static final long serialVersionUID = 1L;

        OruModelClassFactory() {
            super("2.5.1");
        }

        @Override
        public Class<? extends Message> getMessageClass(String name, String version, boolean isExplicit)
                throws HL7Exception {
            String structure = name.startsWith("ORU_") ? "ORU_R01" : name;
            return super.getMessageClass(structure, version, isExplicit);
        }
    }

    /** Closes the HAPI context's executor, if it started one. */
    public void close() throws IOException {
        hapi.close();
    }
}
