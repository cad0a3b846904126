package org.tamer.gateway.camel;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tamer.routes.mllp.MllpServer;
import org.tamer.routes.route.Hl7Intake;

/**
 * The gateway's MLLP port: an {@link MllpServer} handing every message to the HL7 intake, whose acknowledgement is
 * sent back only after the message is stored. Over TLS when a key store is configured.
 */
public final class MllpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MllpListener.class);

    private final MllpServer server;

    public MllpListener(MllpSettings settings, Hl7Intake intake) throws IOException {
        Objects.requireNonNull(settings, "settings");
        Optional<MllpServer.Tls> tls = settings.serverTls();
        server = MllpServer.start(settings.host(), settings.port(), settings.limits(), tls, intake);
        LOG.info("MLLP listening on {}:{}{}; at most {} connections ({} per peer), idle ones closed after {}",
                settings.host(), server.port(), tls.map(t -> " (TLS, client auth " + t.clientAuth() + ")").orElse(""),
                settings.maxConnections(), settings.maxConnectionsPerPeer(), settings.idleTimeout());
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
