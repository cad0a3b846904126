package org.tamer.gateway.testing;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.gateway.audit.AuditEvents;
import org.tamer.gateway.metrics.GatewayMetrics;
import org.tamer.gateway.pipeline.FhirIntake;
import org.tamer.gateway.pipeline.Hl7Charset;
import org.tamer.gateway.pipeline.RecordReader;
import org.tamer.gateway.store.MessageStore;
import org.tamer.routes.adapters.EcgFileReader;
import org.tamer.routes.hl7.Hl7WaveformAdapter;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;

/** The gateway's FHIR and file intake wired as the application wires it, over a given store. */
public final class RealFhirIntake {

    private RealFhirIntake() {
    }

    public static FhirIntake over(MessageStore store) {
        FhirContext context = FhirContext.forR4Cached();
        MdcLeadCodes codes = new MdcLeadCodes();
        RecordReader reader = new RecordReader(new Hl7WaveformAdapter(codes), new FhirResourceReader(context),
                new EcgFhirMapper(codes), new EcgFileReader(), new Hl7Charset(StandardCharsets.ISO_8859_1));
        return new FhirIntake(reader, store, new AuditEvents(context, "tamer-gateway:test"),
                new GatewayMetrics(new SimpleMeterRegistry()),
                new Preprocessor(PreprocessingConfig.paperDefaults())::check, Clock.systemUTC());
    }
}
