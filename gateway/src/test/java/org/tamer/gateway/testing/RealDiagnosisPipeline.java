package org.tamer.gateway.testing;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.fhir.terminology.ClassTerminology;
import org.tamer.fhir.terminology.FhirPackage;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.fhir.validation.EcgValidator;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;
import org.tamer.gateway.model.ModelService;
import org.tamer.gateway.pipeline.Hl7Charset;
import org.tamer.gateway.pipeline.ModelReporting;
import org.tamer.gateway.pipeline.RecordReader;
import org.tamer.gateway.pipeline.ResultBuilder;
import org.tamer.gateway.pipeline.SourceIdentities;
import org.tamer.routes.adapters.EcgFileReader;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7WaveformAdapter;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.testdata.SharedData;

/**
 * The real diagnosis pipeline as the gateway wires it: the default model ({@code models/tamer-ptbxl-default} under
 * the repository root, system property {@code tamer.repository.root}, default {@code ..}), the HL7 v2 adapter, the
 * record reader, the result builder with validation, and the PTB-XL archive from the shared data. Closing it closes
 * the models, then the adapter.
 */
public final class RealDiagnosisPipeline implements AutoCloseable {

    private final ModelService models;
    private final Hl7WaveformAdapter adapter;
    private final RecordReader reader;
    private final ResultBuilder results;
    private final PtbXlArchive archive;

    private RealDiagnosisPipeline(ModelService models, Hl7WaveformAdapter adapter, RecordReader reader,
                                  ResultBuilder results, PtbXlArchive archive) {
        this.models = models;
        this.adapter = adapter;
        this.reader = reader;
        this.results = results;
        this.archive = archive;
    }

    /** Loads the pipeline; {@code charset} is the one the record reader reads HL7 v2 messages with. */
    public static RealDiagnosisPipeline load(FhirContext fhir, Hl7Charset charset) {
        Path repository = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        ModelService models = new ModelService(repository.resolve("models/tamer-ptbxl-default"), ComputeEngine.load());
        Hl7WaveformAdapter adapter = null;
        try {
            MdcLeadCodes codes = new MdcLeadCodes();
            EcgFhirMapper mapper = new EcgFhirMapper(codes);
            FhirPackage fhirPackage = FhirPackage.load();
            adapter = new Hl7WaveformAdapter(codes);
            RecordReader reader = new RecordReader(adapter, new FhirResourceReader(fhir), mapper, new EcgFileReader(),
                    charset);
            WriteBackBundleBuilder bundles = new WriteBackBundleBuilder(mapper,
                    new ClassTerminology(fhirPackage, fhir), "https://tamer-ecg.org/fhir/CodeSystem/ptbxl-statement",
                    "NORM");
            ResultBuilder results = new ResultBuilder(bundles, new SourceIdentities(new FhirResourceReader(fhir),
                    mapper), ModelReporting.NONE, fhir, Optional.of(new EcgValidator(fhir, fhirPackage)), "TAMER",
                    "TAMER", Clock.systemUTC());
            PtbXlArchive archive = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS);
            return new RealDiagnosisPipeline(models, adapter, reader, results, archive);
        } catch (RuntimeException | Error e) {
            models.close();
            if (adapter != null) {
                try {
                    adapter.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    public ModelService models() {
        return models;
    }

    public Hl7WaveformAdapter adapter() {
        return adapter;
    }

    public RecordReader reader() {
        return reader;
    }

    public ResultBuilder results() {
        return results;
    }

    public PtbXlArchive archive() {
        return archive;
    }

    /** Closes the models, then the adapter (also when closing the models failed). */
    @Override
    public void close() throws IOException {
        try {
            models.close();
        } finally {
            if (adapter != null) {
                adapter.close();
            }
        }
    }
}
