package org.tamer.gateway.config;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.fhir.terminology.ClassTerminology;
import org.tamer.fhir.terminology.FhirPackage;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.fhir.validation.EcgValidator;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;
import org.tamer.gateway.audit.AuditEvents;
import org.tamer.gateway.camel.RouteRunner;
import org.tamer.gateway.http.GatewayStatus;
import org.tamer.gateway.http.OperationOutcomes;
import org.tamer.gateway.metrics.GatewayMetrics;
import org.tamer.gateway.model.MicroBatcher;
import org.tamer.gateway.model.ModelSettings;
import org.tamer.gateway.model.ModelService;
import org.tamer.gateway.pipeline.FhirIntake;
import org.tamer.gateway.pipeline.Hl7Charset;
import org.tamer.gateway.pipeline.Hl7MessageIntake;
import org.tamer.gateway.pipeline.ModelInputCheck;
import org.tamer.gateway.pipeline.ModelReporting;
import org.tamer.gateway.pipeline.RecordReader;
import org.tamer.gateway.pipeline.ResultBuilder;
import org.tamer.gateway.pipeline.RetryPolicy;
import org.tamer.gateway.pipeline.SourceIdentities;
import org.tamer.gateway.pipeline.SynchronousDiagnosis;
import org.tamer.gateway.security.BearerTokenFilter;
import org.tamer.gateway.security.DevelopmentKey;
import org.tamer.gateway.security.TokenVerifier;
import org.tamer.gateway.store.MessageBrowser;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.StoreSettings;
import org.tamer.gateway.store.PollCursorStore;
import org.tamer.routes.adapters.EcgFileReader;
import org.tamer.routes.adapters.mat.MatLimits;
import org.tamer.routes.adapters.wfdb.WfdbLimits;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7WaveformAdapter;
import org.tamer.routes.route.FhirPollingRoute;
import org.tamer.routes.route.FileDropRoute;
import org.tamer.runtime.ecg.DecoderLimits;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.engine.NativeAllocator;

/**
 * Wires the gateway from configuration ({@code application.yml}, every key overridable by an environment variable
 * such as {@code TAMER_MLLP_PORT}). Every component is built here with constructor injection; none reads
 * configuration itself.
 */
@Factory
public class GatewayFactory {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayFactory.class);

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    @Named("instance")
    String instanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "/" + UUID.randomUUID().toString()
                .substring(0, 8);
    }

    @Singleton
    FhirContext fhirContext() {
        return FhirContext.forR4Cached();
    }

    @Singleton
    FhirPackage fhirPackage() {
        return FhirPackage.load();
    }

    @Singleton
    MdcLeadCodes leadCodes() {
        return new MdcLeadCodes();
    }

    @Singleton
    EcgFhirMapper mapper(MdcLeadCodes codes, DecoderLimits limits) {
        return new EcgFhirMapper(codes, limits);
    }

    @Singleton
    OperationOutcomes operationOutcomes(FhirContext context) {
        return new OperationOutcomes(context);
    }

    @Singleton
    AuditEvents auditEvents(FhirContext context, @Named("instance") String instance) {
        return new AuditEvents(context, "tamer-gateway:" + instance);
    }

    @Singleton
    Hl7WaveformAdapter hl7Adapter(MdcLeadCodes codes, DecoderLimits limits) {
        return new Hl7WaveformAdapter(codes, limits);
    }

    @Singleton
    Hl7Charset hl7Charset(@Value("${tamer.mllp.charset:ISO-8859-1}") String charset) {
        return new Hl7Charset(Charset.forName(charset));
    }

    @Singleton
    Hl7Acknowledgement acknowledgements(@Value("${tamer.hl7.application:TAMER}") String application,
                                        @Value("${tamer.hl7.facility:TAMER}") String facility) {
        return new Hl7Acknowledgement(application, facility);
    }

    @Singleton
    MessageStore messageStore(DataSource dataSource, Clock clock) {
        return new MessageStore(dataSource, clock);
    }

    @Singleton
    MessageBrowser messageBrowser(DataSource dataSource) {
        return new MessageBrowser(dataSource);
    }

    @Singleton
    GatewayStatus gatewayStatus(ModelService models, MicroBatcher batcher, MessageStore store, MessageBrowser browser,
                                Clock clock, @Named("instance") String instance, ModelSettings settings) {
        return new GatewayStatus(models, batcher, settings.queueCapacity(), store, browser, clock, instance);
    }

    @Singleton
    GatewayMetrics metrics(MeterRegistry registry) {
        return new GatewayMetrics(registry);
    }

    @Singleton
    @Bean(preDestroy = "close")
    ModelService modelService(ModelSettings settings) {
        return new ModelService(Path.of(settings.bundle()).toAbsolutePath().normalize(), ComputeEngine.load());
    }

    @Singleton
    @Bean(preDestroy = "close")
    MicroBatcher microBatcher(ModelService models, GatewayMetrics metrics, ModelSettings settings) {
        MicroBatcher batcher = new MicroBatcher(models, maxBatchSize(settings.maxBatch(), models.engine()),
                settings.maxWait(), settings.queueCapacity(), metrics);
        metrics.gauge("tamer.model.queue.depth", "ECGs waiting for the model", batcher, MicroBatcher::queueDepth);
        return batcher;
    }

    /**
     * {@code auto}: 32 on a GPU, where a batch costs little more than one ECG, and on the CPU when native memory
     * comes from jemalloc or tcmalloc (micro-batching served 1.45 times as many messages as single ECGs there); 1 on
     * the CPU with glibc's allocator, where batches measured slower (docs/benchmarks.md, "Gateway end to end");
     * otherwise the number given.
     */
    static int maxBatchSize(String setting, ComputeEngine engine) {
        return maxBatchSize(setting, engine.gpuCount(), engine.allocator().kind());
    }

    static int maxBatchSize(String setting, int gpus, NativeAllocator.Kind allocator) {
        if (setting.isBlank() || setting.equalsIgnoreCase("auto")) {
            boolean cachingAllocator = allocator == NativeAllocator.Kind.JEMALLOC
                    || allocator == NativeAllocator.Kind.TCMALLOC;
            return gpus > 0 || cachingAllocator ? 32 : 1;
        }
        try {
            int size = Integer.parseInt(setting.trim());
            if (size >= 1) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("tamer.model.max-batch (TAMER_MODEL_MAX_BATCH) must be 'auto' or a "
                + "positive number, got '" + setting + "'");
    }

    @Singleton
    RecordReader recordReader(Hl7WaveformAdapter adapter, FhirContext context, EcgFhirMapper mapper, Hl7Charset charset,
                              DecoderLimits limits, WfdbLimits wfdbLimits, MatLimits matLimits) {
        return new RecordReader(adapter, new FhirResourceReader(context), mapper,
                new EcgFileReader(limits, wfdbLimits, matLimits), charset);
    }

    /** Limits of every decoder of outside input (HL7 v2, FHIR, ECG files); see {@link DecoderLimits}. */
    @Singleton
    DecoderLimits decoderLimits(@Value("${tamer.decoder.max-decompressed-bytes:67108864}") long maxDecompressedBytes,
                                @Value("${tamer.decoder.max-leads:64}") int maxLeads,
                                @Value("${tamer.decoder.max-samples-per-lead:1000000}") int maxSamplesPerLead,
                                @Value("${tamer.decoder.max-total-samples:16000000}") long maxTotalSamples,
                                @Value("${tamer.decoder.max-nesting-depth:32}") int maxNestingDepth,
                                @Value("${tamer.decoder.max-elements:200000}") int maxElements,
                                @Value("${tamer.decoder.max-field-components:1000}") int maxFieldComponents,
                                @Value("${tamer.decoder.max-text-length:1000000}") int maxTextLength) {
        return new DecoderLimits(maxDecompressedBytes, maxLeads, maxSamplesPerLead, maxTotalSamples,
                maxNestingDepth, maxElements, maxFieldComponents, maxTextLength);
    }

    /** Limits of uploaded WFDB records (a zip of header and signal files); see {@link WfdbLimits}. */
    @Singleton
    WfdbLimits wfdbLimits(@Value("${tamer.decoder.max-wfdb-header-bytes:1048576}") long maxHeaderBytes,
                          @Value("${tamer.decoder.max-wfdb-signals:256}") int maxSignals,
                          @Value("${tamer.decoder.max-wfdb-signal-file-bytes:67108864}") long maxSignalFileBytes) {
        return new WfdbLimits(maxHeaderBytes, maxSignals, maxSignalFileBytes);
    }

    /** Limits of MAT-files inside uploads; see {@link MatLimits}. */
    @Singleton
    MatLimits matLimits(@Value("${tamer.decoder.max-decompressed-bytes:67108864}") long maxInflatedBytes,
                        @Value("${tamer.decoder.max-total-samples:16000000}") long maxValues,
                        @Value("${tamer.decoder.max-nesting-depth:32}") int maxDepth) {
        return new MatLimits(maxInflatedBytes, maxValues, maxDepth);
    }

    @Singleton
    ResultBuilder resultBuilder(EcgFhirMapper mapper, FhirPackage fhirPackage, FhirContext context, Clock clock,
                                ModelSettings model,
                                @Value("${tamer.fhir.validate-results:true}") boolean validate,
                                @Value("${tamer.hl7.application:TAMER}") String application,
                                @Value("${tamer.hl7.facility:TAMER}") String facility) {
        WriteBackBundleBuilder bundles = new WriteBackBundleBuilder(mapper, new ClassTerminology(fhirPackage, context),
                model.classSystem(), model.normalClass());
        Optional<EcgValidator> validator = validate ? Optional.of(new EcgValidator(context, fhirPackage))
                : Optional.empty();
        ModelReporting reporting = new ModelReporting(ModelReporting.parseOperatingPoints(model.operatingPoints()),
                Optional.of(model.cardUrl()), Optional.of(model.intendedUse()));
        return new ResultBuilder(bundles, new SourceIdentities(new FhirResourceReader(context), mapper), reporting,
                context, validator, application, facility, clock);
    }

    @Singleton
    RetryPolicy retryPolicy(StoreSettings store) {
        return new RetryPolicy(store.retryBase(), store.retryMax(), store.maxAttempts(), store.giveUpAfter());
    }

    @Singleton
    Hl7MessageIntake hl7Intake(Hl7WaveformAdapter adapter, Hl7Acknowledgement acks, MessageStore store,
                               AuditEvents audit, GatewayMetrics metrics, Hl7Charset charset, Clock clock,
                               ModelService models,
                               @Value("${tamer.mllp.max-message-bytes:8388608}") int maxBytes) {
        return new Hl7MessageIntake(adapter, acks, store, audit, metrics, charset, maxBytes,
                ModelInputCheck.of(models), clock);
    }

    @Singleton
    FhirIntake fhirIntake(RecordReader reader, MessageStore store, AuditEvents audit, GatewayMetrics metrics,
                          ModelService models, Clock clock) {
        return new FhirIntake(reader, store, audit, metrics, ModelInputCheck.of(models), clock);
    }

    @Singleton
    @Bean(preDestroy = "close")
    SynchronousDiagnosis synchronousDiagnosis(MicroBatcher batcher, ResultBuilder results, MessageStore store,
                                              Hl7Charset charset, @Named("instance") String instance,
                                              StoreSettings settings,
                                              @Value("${tamer.fhir.diagnose-timeout:60s}") Duration timeout) {
        return new SynchronousDiagnosis(batcher, results, store, charset, instance, settings.lease(), timeout);
    }

    /** Made at start-up, so that the development key exists for bin/tamer-token and bin/tamer-send at once. */
    @Context
    BearerTokenFilter.Policy securityPolicy(@Value("${tamer.security.enabled:true}") boolean enabled,
                                            @Value("${tamer.security.jwks-url:}") String jwksUrl,
                                            @Value("${tamer.security.issuer:}") String issuer,
                                            @Value("${tamer.security.audience:}") String audience,
                                            @Value("${tamer.security.max-token-lifetime:1h}") Duration maxLifetime,
                                            @Value("${tamer.work-dir:./data}") String dataDir) {
        if (!enabled) {
            LOG.warn("tamer.security.enabled=false: the FHIR, upload, admin and management endpoints accept requests "
                    + "without a token; use this only on a closed test network");
            return new BearerTokenFilter.Policy(Optional.empty());
        }
        Optional<String> iss = Optional.of(issuer).filter(s -> !s.isBlank()).map(String::trim);
        Optional<String> aud = Optional.of(audience).filter(s -> !s.isBlank()).map(String::trim);
        if (!jwksUrl.isBlank()) {
            if (iss.isEmpty() || aud.isEmpty()) {
                throw new IllegalArgumentException("tamer.security.jwks-url is set, so tamer.security.issuer "
                        + "(TAMER_SECURITY_ISSUER) and tamer.security.audience (TAMER_SECURITY_AUDIENCE) must be set "
                        + "too: without them a token the authorization server issued for another service or by "
                        + "another tenant would be accepted");
            }
            return new BearerTokenFilter.Policy(Optional.of(TokenVerifier.ofUrl(jwksUrl.trim(), iss, aud,
                    maxLifetime)));
        }
        Path data = Path.of(dataDir).toAbsolutePath().normalize();
        LOG.warn("no tamer.security.jwks-url configured: trusting the development key {} (tokens for the demo); "
                + "configure your authorization server's JWKS for production", data.resolve(DevelopmentKey.FILE));
        return new BearerTokenFilter.Policy(Optional.of(TokenVerifier.ofKeys(
                DevelopmentKey.loadOrCreate(data).publicKeys(), Optional.of(DevelopmentKey.ISSUER), aud,
                maxLifetime)));
    }

    /**
     * The poll of a hospital FHIR server for new ECG Observations, when {@code tamer.fhir-poll.server-url}
     * ({@code TAMER_FHIR_POLL_SERVER_URL}) is set; what it finds is stored and diagnosed like a posted Observation.
     */
    @Context
    @Requires(property = "tamer.fhir-poll.server-url", pattern = ".+")
    @Bean(preDestroy = "close")
    @Named("fhir-poll")
    RouteRunner fhirPoller(FhirIntake intake, DataSource dataSource, FhirContext context, Clock clock,
                          GatewayMetrics metrics, @Named("fhir-poll") IGenericClient client,
                          @Value("${tamer.fhir-poll.server-url}") String serverUrl,
                          @Value("${tamer.fhir-poll.query:`Observation?code=http://loinc.org|11524-6`}") String query,
                          @Value("${tamer.fhir-poll.interval:60s}") Duration interval,
                          @Value("${tamer.fhir-poll.page-size:50}") int pageSize,
                          @Value("${tamer.fhir-poll.max-pages:20}") int maxPages,
                          @Value("${tamer.fhir-poll.since:}") String since,
                          @Value("${tamer.fhir-poll.timeout:30s}") Duration timeout) throws Exception {
        Optional<Instant> start;
        try {
            start = since.isBlank() ? Optional.empty() : Optional.of(Instant.parse(since.trim()));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("tamer.fhir-poll.since (TAMER_FHIR_POLL_SINCE) must be an instant "
                    + "such as 2026-01-01T00:00:00Z, got '" + since + "'", e);
        }
        FhirPollingRoute.Settings settings = new FhirPollingRoute.Settings(URI.create(serverUrl.trim()), query.trim(),
                interval, pageSize, maxPages, start, Optional.empty(), timeout);
        LOG.info("polling {} every {} for {}", settings.serverUrl(), interval, settings.query());
        FhirPollingRoute route = new FhirPollingRoute(settings, Optional.of(client), intake,
                new PollCursorStore(dataSource, clock), context, clock);
        metrics.gauge("tamer.fhir.poll.failed", "fhir-poll polls that failed (server unreachable, an error answer) "
                + "since start", route, FhirPollingRoute::failedPolls);
        metrics.gauge("tamer.fhir.poll.completed", "fhir-poll polls that ran to their end since start", route,
                FhirPollingRoute::completedPolls);
        return new RouteRunner(route);
    }

    /**
     * The watched folder for ECG files (DICOM, HL7 aECG, Philips Sierra, GE MUSE), when
     * {@code tamer.file-drop.directory} ({@code TAMER_FILE_DROP_DIRECTORY}) is set; each file is stored and
     * diagnosed like an upload to {@code /upload}.
     */
    @Context
    @Requires(property = "tamer.file-drop.directory", pattern = ".+")
    @Bean(preDestroy = "close")
    @Named("file-drop")
    RouteRunner fileDrop(FhirIntake intake, @Value("${tamer.file-drop.directory}") String directory,
                         @Value("${tamer.file-drop.interval:5s}") Duration interval,
                         @Value("${tamer.file-drop.settle:2s}") Duration settle) throws Exception {
        FileDropRoute.Settings settings = new FileDropRoute.Settings(Path.of(directory.trim()), interval, settle);
        LOG.info("watching {} for ECG files every {}", settings.directory().toAbsolutePath(), interval);
        return new RouteRunner(new FileDropRoute(settings, intake));
    }
}
