package org.tamer.gateway.outbound;

import com.nimbusds.jose.JWSAlgorithm;
import io.micronaut.core.value.PropertyResolver;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * How to reach one outbound destination, read from the configuration under its prefix ({@code tamer.fhir},
 * {@code tamer.fhir-poll}, {@code tamer.hl7-out}), each key settable by environment variable
 * ({@code TAMER_FHIR_AUTH_TYPE}, …):
 * <ul>
 *   <li>{@code <prefix>.auth.type}: {@code none} (default), {@code bearer} ({@code auth.token}), {@code basic}
 *       ({@code auth.username}, {@code auth.password}) or {@code smart} (SMART Backend Services:
 *       {@code auth.client-id}, {@code auth.scope}, {@code auth.token-url} (empty: discovered),
 *       {@code auth.algorithm} RS384 or ES384, {@code auth.key-id} (empty: the first key of that algorithm));</li>
 *   <li>{@code <prefix>.tls.trust-store}/{@code trust-store-password} (empty: the JDK's CAs) and
 *       {@code tls.key-store}/{@code key-store-password} (a client certificate: mutual TLS);</li>
 *   <li>{@code <prefix>.allow-plaintext}: {@code false} unless set; plain {@code http:} or MLLP over TCP is refused
 *       without it, and logged as a warning at start-up with it.</li>
 * </ul>
 */
public record OutboundSettings(String prefix, Auth auth, TlsSettings tls, boolean allowPlaintext) {

    /** The kinds of credential a destination may take. */
    public enum AuthType { NONE, BEARER, BASIC, SMART }

    /** The credential settings; which fields apply depends on {@code type}. */
    public record Auth(AuthType type, String token, String username, String password, String clientId, String scope,
                       Optional<URI> tokenUrl, JWSAlgorithm algorithm, String keyId) {
        public Auth {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(tokenUrl, "tokenUrl");
            Objects.requireNonNull(algorithm, "algorithm");
        }
    }

    public OutboundSettings {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tls, "tls");
    }

    /**
     * Reads the settings under {@code prefix}.
     *
     * @param defaultScope the scopes a SMART destination asks for when {@code auth.scope} is not set
     */
    public static OutboundSettings read(PropertyResolver config, String prefix, String defaultScope) {
        String type = text(config, prefix + ".auth.type", "none");
        AuthType authType;
        try {
            authType = AuthType.valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ".auth.type must be none, bearer, basic or smart, got '" + type
                    + "'", e);
        }
        String algorithm = text(config, prefix + ".auth.algorithm", "RS384").toUpperCase(Locale.ROOT);
        if (!algorithm.equals("RS384") && !algorithm.equals("ES384")) {
            throw new IllegalArgumentException(prefix + ".auth.algorithm must be RS384 or ES384 (SMART Backend "
                    + "Services), got '" + algorithm + "'");
        }
        String tokenUrl = text(config, prefix + ".auth.token-url", "");
        Optional<URI> tokenUri;
        try {
            tokenUri = tokenUrl.isBlank() ? Optional.empty() : Optional.of(URI.create(tokenUrl.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ".auth.token-url is not a URI: '" + tokenUrl + "'", e);
        }
        Auth auth = new Auth(authType, text(config, prefix + ".auth.token", ""),
                text(config, prefix + ".auth.username", ""), text(config, prefix + ".auth.password", ""),
                text(config, prefix + ".auth.client-id", ""), text(config, prefix + ".auth.scope", defaultScope),
                tokenUri, JWSAlgorithm.parse(algorithm), text(config, prefix + ".auth.key-id", ""));
        TlsSettings tls = new TlsSettings(TlsSettings.location(text(config, prefix + ".tls.trust-store", "")),
                text(config, prefix + ".tls.trust-store-password", ""),
                TlsSettings.location(text(config, prefix + ".tls.key-store", "")),
                text(config, prefix + ".tls.key-store-password", ""));
        boolean plaintext = config.getProperty(prefix + ".allow-plaintext", Boolean.class).orElse(false);
        return new OutboundSettings(prefix, auth, tls, plaintext);
    }

    private static String text(PropertyResolver config, String key, String fallback) {
        return config.getProperty(key, String.class).orElse(fallback);
    }

    /** The TLS context of this destination. */
    public SSLContext sslContext() {
        return tls.context(prefix + ".tls");
    }

    /**
     * Checks that {@code url} may be used: {@code https}, or {@code http} with {@code allow-plaintext}.
     *
     * @return whether the connection is plain text (to be warned about)
     */
    public boolean checkScheme(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return false;
        }
        if (scheme.equals("http")) {
            if (!allowPlaintext) {
                throw new IllegalArgumentException(prefix + ": " + url + " is plain http; use https, or set "
                        + prefix + ".allow-plaintext=true (" + environmentName(prefix + ".allow-plaintext")
                        + ") on a closed network only");
            }
            return true;
        }
        throw new IllegalArgumentException(prefix + ": " + url + " must be an http or https URL");
    }

    /** An HTTP client with this destination's TLS; the JDK client verifies host names against certificates. */
    public HttpClient httpClient(Duration connectTimeout) {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return HttpClient.newBuilder().connectTimeout(connectTimeout).sslContext(sslContext())
                .sslParameters(parameters).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The authorization strategy of this destination.
     *
     * @param base    the destination's FHIR base (SMART discovery, and the token's audience)
     * @param http    the client for token requests (this destination's TLS)
     * @param keys    the gateway's SMART client keys, loaded only when a destination uses SMART
     * @param jwksUrl where the keys are published, sent as {@code jku} when set
     */
    public OutboundAuthorization authorization(URI base, HttpClient http, Supplier<SmartClientKeys> keys,
                                               Optional<URI> jwksUrl, Duration timeout, Clock clock) {
        return switch (auth.type()) {
            case NONE -> OutboundAuthorization.NONE;
            case BEARER -> {
                if (auth.token().isBlank()) {
                    throw new IllegalArgumentException(prefix + ".auth.type is bearer but " + prefix
                            + ".auth.token is empty");
                }
                yield StaticAuthorization.bearer(auth.token().trim());
            }
            case BASIC -> StaticAuthorization.basic(auth.username(), auth.password());
            case SMART -> {
                auth.tokenUrl().ifPresent(this::checkScheme);
                SmartBackendServices.Settings smart;
                try {
                    smart = new SmartBackendServices.Settings(base, auth.clientId().trim(), auth.scope().trim(),
                            auth.tokenUrl(), jwksUrl, allowPlaintext, timeout);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(prefix + ": " + e.getMessage(), e);
                }
                yield new SmartBackendServices(smart, keys.get().signingKey(auth.algorithm(), auth.keyId()), http,
                        clock);
            }
        };
    }

    /** The environment variable Micronaut maps to {@code key}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
