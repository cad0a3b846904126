package org.tamer.gateway.camel;

import java.util.Objects;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.tamer.routes.route.Hl7Intake;
import org.tamer.routes.route.MllpInboundRoute;

/** The Camel context of the gateway, running the {@code mllp-inbound} route, over TLS when configured. */
public final class MllpListener implements AutoCloseable {

    /** MLLP listener settings; {@code tls} empty for plain TCP. */
    public record Settings(String host, int port, int maxMessageBytes, int maxConnections, Optional<Tls> tls) {
    }

    /**
     * @param clientAuth NONE, WANT or REQUIRE (mutual TLS)
     */
    public record Tls(String keyStore, String keyStorePassword, Optional<String> trustStore,
                      Optional<String> trustStorePassword, String clientAuth) {
    }

    private final CamelContext camel;

    public MllpListener(Settings settings, Hl7Intake intake) throws Exception {
        Objects.requireNonNull(settings, "settings");
        camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(10);
        StringBuilder uri = new StringBuilder("mllp://").append(settings.host()).append(':').append(settings.port())
                .append("?maxBufferSize=").append(Math.max(settings.maxMessageBytes() * 2L + 1024, 1 << 20))
                .append("&maxConcurrentConsumers=").append(settings.maxConnections())
                .append("&receiveTimeout=60000&readTimeout=30000&reuseAddress=true&bindTimeout=20000");
        if (settings.tls().isPresent()) {
            camel.getRegistry().bind("mllpTls", sslParameters(settings.tls().get()));
            uri.append("&sslContextParameters=#mllpTls");
        }
        camel.addRoutes(new MllpInboundRoute(uri.toString(), intake));
        camel.start();
    }

    private static SSLContextParameters sslParameters(Tls tls) {
        KeyStoreParameters keyStore = new KeyStoreParameters();
        keyStore.setResource(tls.keyStore());
        keyStore.setPassword(tls.keyStorePassword());
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(keyStore);
        keyManagers.setKeyPassword(tls.keyStorePassword());
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        tls.trustStore().ifPresent(path -> {
            KeyStoreParameters trust = new KeyStoreParameters();
            trust.setResource(path);
            trust.setPassword(tls.trustStorePassword().orElse(""));
            TrustManagersParameters trustManagers = new TrustManagersParameters();
            trustManagers.setKeyStore(trust);
            parameters.setTrustManagers(trustManagers);
        });
        SSLContextServerParameters server = new SSLContextServerParameters();
        server.setClientAuthentication(tls.clientAuth());
        parameters.setServerParameters(server);
        return parameters;
    }

    @Override
    public void close() {
        camel.stop();
    }
}
