package org.tamer.gateway.camel;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.Optional;
import org.tamer.gateway.outbound.TlsSettings;
import org.tamer.routes.mllp.MllpServer;

/**
 * The MLLP listener's configuration ({@code tamer.mllp.*}, environment {@code TAMER_MLLP_*}).
 *
 * @param maxMessageBytes       the largest HL7 message accepted; larger ones are answered AR naming this limit
 * @param maxConnections        connections open at once; at the limit, the connection idle the longest is closed
 *                              to admit a new sender
 * @param maxConnectionsPerPeer connections open at once from one IP address
 * @param idleTimeout           a connection silent this long between messages is closed
 * @param frameTimeout          a message must arrive whole within this time of its start block
 * @param tls                   TLS on the listener: on when {@code key-store} is set
 */
@ConfigurationProperties("tamer.mllp")
public record MllpSettings(@Bindable(defaultValue = "true") boolean enabled,
                           @Bindable(defaultValue = "0.0.0.0") String host,
                           @Bindable(defaultValue = "2575") int port,
                           @Bindable(defaultValue = "8388608") int maxMessageBytes,
                           @Bindable(defaultValue = "32") int maxConnections,
                           @Bindable(defaultValue = "8") int maxConnectionsPerPeer,
                           @Bindable(defaultValue = "5m") Duration idleTimeout,
                           @Bindable(defaultValue = "60s") Duration frameTimeout,
                           Tls tls) {

    /**
     * @param clientAuth NONE, WANT or REQUIRE (mutual TLS; the trust store holds the senders' CAs)
     */
    @ConfigurationProperties("tls")
    public record Tls(@Bindable(defaultValue = "") String keyStore,
                      @Bindable(defaultValue = "") String keyStorePassword,
                      @Bindable(defaultValue = "") String trustStore,
                      @Bindable(defaultValue = "") String trustStorePassword,
                      @Bindable(defaultValue = "NONE") String clientAuth) {
    }

    /** The server's limits. */
    public MllpServer.Limits limits() {
        return new MllpServer.Limits(maxMessageBytes, maxConnections, maxConnectionsPerPeer, idleTimeout,
                frameTimeout);
    }

    /** The listener's TLS, empty for plain TCP (no key store configured). */
    public Optional<MllpServer.Tls> serverTls() {
        if (tls == null || TlsSettings.location(tls.keyStore()).isEmpty()) {
            return Optional.empty();
        }
        TlsSettings stores = new TlsSettings(TlsSettings.location(tls.trustStore()), tls.trustStorePassword(),
                TlsSettings.location(tls.keyStore()), tls.keyStorePassword());
        return Optional.of(new MllpServer.Tls(stores.context("tamer.mllp.tls"), tls.clientAuth()));
    }
}
