package org.tamer.gateway.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirMappingException;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.gateway.store.Channel;
import org.tamer.routes.adapters.EcgFileReader;
import org.tamer.routes.hl7.Hl7WaveformAdapter;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.StandardLead;

/** Reads a stored raw message back into an {@link EcgRecord}, with the adapter of the channel it came in on. */
public final class RecordReader {

    private final Hl7WaveformAdapter hl7;
    private final FhirResourceReader fhirReader;
    private final EcgFhirMapper mapper;
    private final EcgFileReader files;
    private final Hl7Charset charset;

    public RecordReader(Hl7WaveformAdapter hl7, FhirResourceReader fhirReader, EcgFhirMapper mapper,
                        EcgFileReader files, Hl7Charset charset) {
        this.hl7 = Objects.requireNonNull(hl7, "hl7");
        this.fhirReader = Objects.requireNonNull(fhirReader, "fhirReader");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.files = Objects.requireNonNull(files, "files");
        this.charset = Objects.requireNonNull(charset, "charset");
    }

    /**
     * The record with the twelve standard leads the model reads, in canonical order, when it carries others too
     * (V7-V9, Frank X/Y/Z, ...): those have no MDC lead code to write back in the waveform Observation; a record
     * with standard leads only is returned as it is.
     */
    public static EcgRecord modelLeads(EcgRecord record) {
        boolean standardOnly = record.signal().leads().stream().allMatch(l -> l instanceof StandardLead);
        return standardOnly ? record : record.withSignal(record.signal().select(StandardLead.CANONICAL_ORDER));
    }

    public EcgRecord read(Channel channel, byte[] raw, String name) {
        return switch (channel) {
            case MLLP -> hl7.read(charset.decode(raw)).record();
            case FHIR -> fhir(new String(raw, StandardCharsets.UTF_8));
            case UPLOAD -> upload(raw, name);
        };
    }

    /**
     * Maps a FHIR Observation or Bundle carrying a 12-lead ECG.
     *
     * @throws ca.uhn.fhir.parser.DataFormatException if the body is not a well-formed R4 resource (HTTP 400)
     * @throws FhirMappingException if it is one but not a usable ECG (HTTP 422)
     */
    public EcgRecord fhir(String body) {
        IBaseResource resource;
        try {
            resource = fhirReader.parse(body);
        } catch (FhirMappingException | ca.uhn.fhir.parser.DataFormatException e) {
            throw new ca.uhn.fhir.parser.DataFormatException(e.getMessage(), e);
        }
        if (resource instanceof Observation observation) {
            return mapper.toRecord(observation);
        }
        if (resource instanceof Bundle bundle) {
            return mapper.toRecord(bundle);
        }
        throw new FhirMappingException(resource.fhirType(), "is not an ECG: post an Observation or a Bundle");
    }

    /**
     * Reads an uploaded file (DICOM, aECG, Sierra, MUSE, or a WFDB record as a zip of its header and signal files)
     * by its content, from its bytes alone: nothing is staged on disk and no other file is opened.
     */
    public EcgRecord upload(byte[] raw, String name) {
        return files.read(raw, name == null ? "upload" : name);
    }
}
