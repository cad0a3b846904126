package org.tamer.gateway.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at start-up, as a warning, which of the gateway's listeners speak plain text: the HTTP port without
 * {@code micronaut.server.ssl}, the MLLP port without {@code tamer.mllp.tls.key-store}. They do by default so that
 * the first command runs with zero configuration; production turns both to TLS (README, "Production setup").
 * Outbound connections refuse plain text unless their {@code allow-plaintext} is set, and warn then.
 */
@Context
final class PlaintextListenerWarnings {

    private static final Logger LOG = LoggerFactory.getLogger(PlaintextListenerWarnings.class);

    PlaintextListenerWarnings(@Value("${micronaut.server.ssl.enabled:false}") boolean https,
                              @Value("${micronaut.server.port:8080}") int httpPort,
                              @Value("${tamer.mllp.enabled:true}") boolean mllp,
                              @Value("${tamer.mllp.port:2575}") int mllpPort,
                              @Value("${tamer.mllp.tls.key-store:}") String mllpKeyStore) {
        if (!https) {
            LOG.warn("HTTP port {} is plain text (tokens and ECGs unencrypted): set MICRONAUT_SERVER_SSL_ENABLED=true "
                    + "and MICRONAUT_SERVER_SSL_KEY_STORE_PATH outside a closed test network", httpPort);
        }
        if (mllp && mllpKeyStore.isBlank()) {
            LOG.warn("MLLP port {} is plain TCP (HL7 messages unencrypted): set TAMER_MLLP_TLS_KEY_STORE outside a "
                    + "closed test network", mllpPort);
        }
    }
}
