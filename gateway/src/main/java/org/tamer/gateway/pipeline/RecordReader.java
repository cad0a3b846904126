package org.tamer.gateway.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirMappingException;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.gateway.store.Channel;
import org.tamer.routes.adapters.EcgFileReader;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.hl7.Hl7WaveformAdapter;
import org.tamer.runtime.ecg.EcgRecord;

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

    /** Reads an uploaded archive file (DICOM, aECG, Sierra, MUSE) by its content. */
    public EcgRecord upload(byte[] raw, String name) {
        String safe = name == null ? "upload" : name.replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            Path directory = Files.createTempDirectory("tamer-upload");
            Path file = directory.resolve(safe.isEmpty() ? "upload" : safe);
            try {
                Files.write(file, raw);
                return files.read(file);
            } catch (EcgFormatException e) {
                // name the file as the sender knows it, not the staging copy
                throw new EcgFormatException(name == null ? "upload" : name, e.field(), e.reason(), e);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not stage upload " + safe, e);
        }
    }
}
