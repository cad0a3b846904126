package org.tamer.gateway.bench;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.fhir.terminology.ClassTerminology;
import org.tamer.fhir.terminology.FhirPackage;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.fhir.validation.EcgValidator;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;
import org.tamer.gateway.model.LoadedModel;
import org.tamer.gateway.model.ModelResult;
import org.tamer.gateway.model.ModelService;
import org.tamer.gateway.pipeline.Hl7Charset;
import org.tamer.gateway.pipeline.ModelReporting;
import org.tamer.gateway.pipeline.ResultBuilder;
import org.tamer.gateway.pipeline.SourceIdentities;
import org.tamer.gateway.store.Channel;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7WaveformAdapter;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.runtime.bench.BenchmarkMachine;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.inference.Diagnosis;
import org.tamer.runtime.preprocess.PreprocessedEcg;
import org.tamer.runtime.testdata.SharedData;

/**
 * The gateway's per-message work, stage by stage, on one thread and without I/O: reading the HL7 v2 message,
 * preprocessing, the model (batch 1 and a micro-batch of 8), building the write-back Bundle and HL7 result, and
 * validating the Bundle against the profiles. It shows where the time outside the model goes and what each stage
 * allocates. Records are real PTB-XL ECGs as IHE PCD-01 messages.
 *
 * <pre>
 * mvn -B -q -Pbench -pl gateway -am test-compile -Dtamer.bench=org.tamer.gateway.bench.GatewayPathBenchmark \
 *     -Dtamer.args=--record
 * </pre>
 */
public final class GatewayPathBenchmark {

    private record Stage(String name, double millisPerMessage, double mebibytesPerMessage) {
    }

    private GatewayPathBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        boolean record = Arrays.asList(args).contains("--record");
        int count = 32;
        PtbXlArchive archive = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS);
        ZonedDateTime sent = ZonedDateTime.of(2026, 11, 24, 12, 0, 0, 0, ZoneOffset.UTC);
        Hl7WaveformWriter writer = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT,
                "BENCH", "BENCH");
        List<String> messages = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            messages.add(writer.write(archive.read(Integer.toString(i)), "BENCH" + i, sent));
        }
        Path repository = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        FhirContext context = FhirContext.forR4Cached();
        MdcLeadCodes codes = new MdcLeadCodes();
        EcgFhirMapper mapper = new EcgFhirMapper(codes);
        FhirPackage fhirPackage = FhirPackage.load();
        WriteBackBundleBuilder bundles = new WriteBackBundleBuilder(mapper, new ClassTerminology(fhirPackage, context),
                "https://tamer-ecg.org/fhir/CodeSystem/ptbxl-statement", "NORM");
        EcgValidator validator = new EcgValidator(context, fhirPackage);
        SourceIdentities identities = new SourceIdentities(new FhirResourceReader(context), mapper);
        ResultBuilder results = new ResultBuilder(bundles, identities, ModelReporting.NONE, context, Optional.empty(),
                "TAMER", "TAMER", Clock.systemUTC());
        Hl7Charset charset = new Hl7Charset(StandardCharsets.ISO_8859_1);

        try (Hl7WaveformAdapter adapter = new Hl7WaveformAdapter(codes);
             ModelService models = new ModelService(repository.resolve("models/tamer-ptbxl-default"),
                     ComputeEngine.load())) {
            LoadedModel model = models.current();
            EcgRecord[] records = new EcgRecord[count];
            PreprocessedEcg[] inputs = new PreprocessedEcg[count];
            Diagnosis[] diagnoses = new Diagnosis[count];
            Map<String, IntConsumer> stages = new LinkedHashMap<>();
            stages.put("read HL7 v2 message (Hl7WaveformAdapter)", i -> records[i] = adapter.read(messages.get(i))
                    .record());
            stages.put("preprocess (Preprocessor)", i -> inputs[i] = model.preprocessor().apply(records[i]));
            stages.put("model, batch 1 (spectrogram + network + scores)", i -> diagnoses[i] = model.classifier()
                    .classify(List.of(inputs[i])).get(0));
            stages.put("model, batch 8, per ECG", i -> {
                if (i % 8 == 0) {
                    List<Diagnosis> batch = model.classifier().classify(Arrays.asList(inputs).subList(i, i + 8));
                    for (int j = 0; j < 8; j++) {
                        diagnoses[i + j] = batch.get(j);
                    }
                }
            });
            stages.put("write-back Bundle + JSON + HL7 result (ResultBuilder)", i -> results.build(Channel.MLLP,
                    "BENCH" + i, messages.get(i).getBytes(StandardCharsets.ISO_8859_1), charset, records[i],
                    new ModelResult(diagnoses[i], model)));
            stages.put("validate the whole Bundle against the profiles (EcgValidator.errors)", i -> {
                var errors = validator.errors(bundles.build(records[i], identities.of(Channel.MLLP,
                        messages.get(i), records[i]), null, diagnoses[i], model.descriptor(), sent.toInstant()));
                if (!errors.isEmpty()) {
                    throw new IllegalStateException(errors.get(0).getMessage());
                }
            });
            stages.put("validate, sample values not re-checked (errorsIgnoringSampleValues, the gateway's)", i -> {
                var errors = validator.errorsIgnoringSampleValues(bundles.build(records[i],
                        identities.of(Channel.MLLP, messages.get(i), records[i]), null, diagnoses[i],
                        model.descriptor(), sent.toInstant()));
                if (!errors.isEmpty()) {
                    throw new IllegalStateException(errors.get(0).getMessage());
                }
            });
            List<Stage> measured = new ArrayList<>();
            for (Map.Entry<String, IntConsumer> stage : stages.entrySet()) {
                for (int i = 0; i < count; i++) {
                    stage.getValue().accept(i);
                }
                long bytes = allocatedBytes();
                long start = System.nanoTime();
                int rounds = 2;
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < count; i++) {
                        stage.getValue().accept(i);
                    }
                }
                double n = (double) rounds * count;
                measured.add(new Stage(stage.getKey(), (System.nanoTime() - start) / 1e6 / n,
                        (allocatedBytes() - bytes) / n / (1 << 20)));
                System.out.printf(Locale.ROOT, "%-60s %8.1f ms %8.1f MiB%n", stage.getKey(),
                        measured.get(measured.size() - 1).millisPerMessage(),
                        measured.get(measured.size() - 1).mebibytesPerMessage());
            }
            String table = table(measured, models.engine().describe());
            System.out.println(table);
            if (record) {
                Path file = repository.resolve("docs/benchmarks.md");
                Files.writeString(file, table, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                System.out.println("appended to " + file);
            }
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static String table(List<Stage> stages, String engine) throws IOException {
        StringBuilder b = new StringBuilder("\n### Gateway path per message, stage by stage, ").append(LocalDate.now())
                .append("\n\nCommand: `mvn -B -q -Pbench -pl gateway -am test-compile "
                        + "-Dtamer.bench=org.tamer.gateway.bench.GatewayPathBenchmark -Dtamer.args=--record`  \nMachine: ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ").append(BenchmarkMachine.current().describe())
                .append(", Java ").append(System.getProperty("java.version")).append("; engine: ").append(engine)
                .append("; one thread (the model uses the engine's threads), PTB-XL records 1–32 as IHE PCD-01 "
                        + "ORU^R01, two timed rounds after one warm-up round\n\n")
                .append("| stage | ms per message | MiB allocated per message (Java heap, this thread) |\n")
                .append("|---|---:|---:|\n");
        for (Stage s : stages) {
            b.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", s.name(), s.millisPerMessage(),
                    s.mebibytesPerMessage()));
        }
        return b.toString();
    }

}
