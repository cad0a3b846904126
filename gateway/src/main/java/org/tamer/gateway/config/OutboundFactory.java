package org.tamer.gateway.config;

import ca.uhn.fhir.context.FhirContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.value.PropertyResolver;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.HttpClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tamer.gateway.delivery.FhirServerClient;
import org.tamer.gateway.delivery.Hl7ResultSender;
import org.tamer.gateway.outbound.HapiClientAuthorization;
import org.tamer.gateway.outbound.OutboundAuthorization;
import org.tamer.gateway.outbound.OutboundSettings;
import org.tamer.gateway.outbound.SmartClientKeys;
import org.tamer.gateway.outbound.StaticAuthorization;

/**
 * Wires the outbound destinations, each from its {@link OutboundSettings} (TLS, plain text only by explicit
 * {@code allow-plaintext}, and its credential): the FHIR write-back ({@code tamer.fhir}), the HL7 v2 result and
 * application-ACK destination ({@code tamer.hl7-out}), and the SMART client keys they share with
 * {@code fhir-poll}.
 */
@Factory
public class OutboundFactory {

    /** What the write-back asks for: conditional creates of these types (a create and the search behind it). */
    public static final String WRITE_BACK_SCOPE = "system/Observation.cs system/Device.cs system/Provenance.cs";
    /** What {@code fhir-poll} asks for: searching and reading Observations. */
    public static final String POLL_SCOPE = "system/Observation.rs";

    private static final Logger LOG = LoggerFactory.getLogger(OutboundFactory.class);

    /**
     * The SMART client keys, created on first use in {@code tamer.smart.key-file} (default
     * {@code <work-dir>/smart-client-keys.jwks.json}); the public keys are also written to
     * {@code tamer.smart.public-jwks-file} when set.
     */
    @Singleton
    SmartClientKeys smartClientKeys(@Value("${tamer.smart.key-file:}") String keyFile,
                                    @Value("${tamer.smart.public-jwks-file:}") String publicFile,
                                    @Value("${tamer.work-dir:./data}") String workDir) {
        Path file = keyFile.isBlank() ? Path.of(workDir).resolve("smart-client-keys.jwks.json")
                : Path.of(keyFile.trim());
        SmartClientKeys keys = SmartClientKeys.loadOrCreate(file.toAbsolutePath().normalize());
        if (!publicFile.isBlank()) {
            keys.writePublicKeys(Path.of(publicFile.trim()));
        }
        LOG.info("SMART client keys in {}; public keys served at /.well-known/jwks.json{}", keys.file(),
                publicFile.isBlank() ? "" : " and written to " + publicFile.trim());
        return keys;
    }

    /** {@code tamer.smart.jwks-url}: the public URL of the JWKS, sent as {@code jku} in client assertions. */
    static Optional<URI> jwksUrl(String setting) {
        return setting.isBlank() ? Optional.empty() : Optional.of(URI.create(setting.trim()));
    }

    @Singleton
    @Requires(property = "tamer.fhir.server-url", pattern = ".+")
    FhirServerClient writeBackClient(PropertyResolver config, FhirContext context, Clock clock,
                                     Provider<SmartClientKeys> keys,
                                     @Value("${tamer.fhir.server-url}") String serverUrl,
                                     @Value("${tamer.fhir.timeout:30s}") Duration timeout,
                                     @Value("${tamer.smart.jwks-url:}") String jwksUrl) {
        OutboundSettings settings = OutboundSettings.read(config, "tamer.fhir", WRITE_BACK_SCOPE);
        URI base = URI.create(serverUrl.trim());
        boolean plain = settings.checkScheme(base);
        HttpClient http = settings.httpClient(timeout);
        OutboundAuthorization authorization = settings.authorization(base, http, keys::get, jwksUrl(jwksUrl),
                timeout, clock);
        if (plain) {
            LOG.warn("tamer.fhir.allow-plaintext=true: results go to {} over plain http, unencrypted; use https "
                    + "outside a closed test network", base);
        }
        LOG.info("FHIR write-back to {} with {}", base, authorization.describe());
        return new FhirServerClient(base, context, timeout, http, authorization);
    }

    /**
     * The HAPI client of {@code fhir-poll}: TLS with host name verification, the destination's credential on every
     * request ({@code tamer.fhir-poll.access-token}, the older key, counts as {@code auth.type: bearer}).
     */
    @Singleton
    @Named("fhir-poll")
    @Requires(property = "tamer.fhir-poll.server-url", pattern = ".+")
    IGenericClient pollClient(PropertyResolver config, FhirContext context, Clock clock, Provider<SmartClientKeys> keys,
                              @Value("${tamer.fhir-poll.server-url}") String serverUrl,
                              @Value("${tamer.fhir-poll.timeout:30s}") Duration timeout,
                              @Value("${tamer.fhir-poll.access-token:}") String accessToken,
                              @Value("${tamer.smart.jwks-url:}") String jwksUrl) {
        OutboundSettings settings = OutboundSettings.read(config, "tamer.fhir-poll", POLL_SCOPE);
        URI base = URI.create(serverUrl.trim());
        boolean plain = settings.checkScheme(base);
        OutboundAuthorization authorization = !accessToken.isBlank()
                && settings.auth().type() == OutboundSettings.AuthType.NONE
                ? StaticAuthorization.bearer(accessToken.trim())
                : settings.authorization(base, settings.httpClient(timeout), keys::get, jwksUrl(jwksUrl), timeout,
                clock);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        ApacheRestfulClientFactory factory = new ApacheRestfulClientFactory(context);
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        factory.setHttpClient(HttpClients.custom()
                .setSSLSocketFactory(new SSLConnectionSocketFactory(settings.sslContext(),
                        new DefaultHostnameVerifier()))
                .setDefaultRequestConfig(RequestConfig.custom().setConnectTimeout(millis).setSocketTimeout(millis)
                        .setConnectionRequestTimeout(millis).build())
                .disableRedirectHandling()
                .build());
        IGenericClient client = factory.newGenericClient(base.toString());
        client.setEncoding(EncodingEnum.JSON);
        client.registerInterceptor(new HapiClientAuthorization(authorization));
        if (plain) {
            LOG.warn("tamer.fhir-poll.allow-plaintext=true: polling {} over plain http, unencrypted; use https "
                    + "outside a closed test network", base);
        }
        LOG.info("fhir-poll of {} with {}", base, authorization.describe());
        return client;
    }

    @Singleton
    @Requires(property = "tamer.hl7-out.host", pattern = ".+")
    Hl7ResultSender hl7ResultSender(PropertyResolver config,
                                    @Value("${tamer.hl7-out.host}") String host,
                                    @Value("${tamer.hl7-out.port:0}") int port,
                                    @Value("${tamer.hl7-out.timeout:30s}") Duration timeout,
                                    @Value("${tamer.mllp.charset:ISO-8859-1}") String charset) {
        OutboundSettings settings = OutboundSettings.read(config, "tamer.hl7-out", "");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("tamer.hl7-out.port (TAMER_HL7_OUT_PORT) must be 1 to 65535, got "
                    + port);
        }
        SSLContext tls = null;
        if (settings.allowPlaintext()) {
            LOG.warn("tamer.hl7-out.allow-plaintext=true: HL7 results and acknowledgements go to {}:{} over plain "
                    + "TCP, unencrypted; configure tamer.hl7-out.tls outside a closed test network", host, port);
        } else {
            tls = settings.sslContext();
            LOG.info("HL7 results to {}:{} over TLS (host name verified{})", host, port,
                    settings.tls().keyStore().isPresent() ? ", client certificate presented" : "");
        }
        return new Hl7ResultSender(host.trim(), port, tls, timeout, Charset.forName(charset));
    }
}
