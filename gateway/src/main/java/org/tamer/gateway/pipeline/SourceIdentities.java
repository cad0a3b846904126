package org.tamer.gateway.pipeline;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.fhir.writeback.EcgSourceIdentity;
import org.tamer.fhir.writeback.WaveformDigest;
import org.tamer.gateway.store.Channel;
import org.tamer.routes.hl7.MessageHeader;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * Derives a stored message's {@link EcgSourceIdentity}: the sender as the source names itself, the sender's
 * identifier of the ECG, and the waveform's digest.
 * <ul>
 *   <li>HL7 v2: the sender is MSH-3 and MSH-4 ({@code hl7v2:APP|FACILITY}); the identifier is OBR-3 (else OBR-2),
 *       with {@code urn:oid:}, {@code urn:uuid:} or the URI of its universal id (EI.3/EI.4) as system when the
 *       sender gives one. A record without OBR-3 and OBR-2 has no identifier (the control id names the message,
 *       not the ECG).</li>
 *   <li>FHIR: the sender is the waveform's identifier system ({@code fhir:} and the system), or the channel
 *       ({@code fhir:unqualified}) when the identifier has none; the identifier is that identifier.</li>
 *   <li>Uploaded and dropped files: the sender is the file intake; the identifier is the file's own (a DICOM SOP
 *       Instance UID, an aECG id), never the file name, so the same file under a new name is the same ECG and a new
 *       recording under an old name is not.</li>
 * </ul>
 */
public final class SourceIdentities {

    private final FhirResourceReader fhirReader;
    private final EcgFhirMapper mapper;

    public SourceIdentities(FhirResourceReader fhirReader, EcgFhirMapper mapper) {
        this.fhirReader = Objects.requireNonNull(fhirReader, "fhirReader");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    public EcgSourceIdentity of(Channel channel, String decoded, EcgRecord record) {
        String waveform = WaveformDigest.sha256(record.signal());
        return switch (channel) {
            case MLLP -> hl7(decoded, record, waveform);
            case FHIR -> fhir(decoded, waveform);
            case UPLOAD -> file(record, waveform);
        };
    }

    private EcgSourceIdentity hl7(String message, EcgRecord record, String waveform) {
        MessageHeader header = MessageHeader.read(message);
        String sender = "hl7v2:" + header.sendingApplication() + "|" + header.sendingFacility();
        Optional<String[]> orderNumber = orderNumber(message, header);
        Optional<String> value = orderNumber.map(ei -> ei[0]).isPresent() ? Optional.of(record.id())
                : Optional.empty();
        Optional<String> system = orderNumber.flatMap(SourceIdentities::universalIdSystem);
        return new EcgSourceIdentity(sender, system, value, waveform);
    }

    /** The components of OBR-3, else OBR-2, of the first OBR segment, when one of them has a value. */
    private static Optional<String[]> orderNumber(String message, MessageHeader header) {
        String field = Character.toString(header.fieldSeparator());
        for (String segment : message.split("[\r\n]+")) {
            if (segment.startsWith("OBR" + field)) {
                String[] fields = segment.split(java.util.regex.Pattern.quote(field), -1);
                for (int index : new int[] {3, 2}) {
                    if (fields.length > index) {
                        String[] components = fields[index].split(java.util.regex.Pattern.quote(
                                Character.toString(header.componentSeparator())), -1);
                        if (!components[0].isBlank()) {
                            return Optional.of(components);
                        }
                    }
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** EI.3 universal id of type EI.4 as a URI (ISO: an OID, UUID, URI), when given. */
    private static Optional<String> universalIdSystem(String[] ei) {
        if (ei.length < 4 || ei[2].isBlank()) {
            return Optional.empty();
        }
        String id = ei[2].strip();
        return switch (ei[3].strip().toUpperCase(java.util.Locale.ROOT)) {
            case "ISO" -> id.matches("[0-2](\\.(0|[1-9][0-9]*))+") ? Optional.of("urn:oid:" + id) : Optional.empty();
            case "UUID" -> Optional.of("urn:uuid:" + id.toLowerCase(java.util.Locale.ROOT));
            case "URI" -> Optional.of(id);
            default -> Optional.empty();
        };
    }

    private EcgSourceIdentity fhir(String body, String waveform) {
        IBaseResource resource = fhirReader.parse(body);
        Optional<Identifier> identifier = resource instanceof Resource r ? mapper.sourceIdentifier(r)
                : Optional.empty();
        Optional<String> system = identifier.filter(Identifier::hasSystem).map(Identifier::getSystem);
        return new EcgSourceIdentity("fhir:" + system.orElse("unqualified"), system,
                identifier.map(Identifier::getValue), waveform);
    }

    private static EcgSourceIdentity file(EcgRecord record, String waveform) {
        boolean idIsFileName = record.source().file().map(f -> Path.of(f).getFileName().toString())
                .filter(name -> name.equals(record.id())).isPresent();
        return new EcgSourceIdentity("file-intake", Optional.empty(),
                idIsFileName ? Optional.empty() : Optional.of(record.id()), waveform);
    }
}
