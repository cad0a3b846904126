package org.tamer.gateway.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings of a gateway started inside the test JVM for its HTTP surface: a free port, an H2 file store under the
 * test's folder, no MLLP listener, no diagnosis workers, the committed default model. Tests add what they exercise.
 */
public final class EmbeddedGatewaySettings {

    private EmbeddedGatewaySettings() {
    }

    /** A port nothing listens on at the moment. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The repository's root (the tests run in the gateway module's folder unless told otherwise). */
    public static Path repositoryRoot() {
        return Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
    }

    /** A mutable map of the settings above, for {@code ApplicationContext.builder().properties(...)}. */
    public static Map<String, Object> httpOnly(Path directory, int port) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.port", port);
        settings.put("datasources.default.url", "jdbc:h2:file:" + directory.resolve("store") + ";MODE=PostgreSQL;"
                + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        settings.put("tamer.mllp.enabled", false);
        settings.put("tamer.store.diagnosis-workers", 0);
        settings.put("tamer.work-dir", directory.resolve("work").toString());
        settings.put("tamer.model.bundle", repositoryRoot().resolve("models/tamer-ptbxl-default").toString());
        settings.put("tamer.model.reload-interval", "1h");
        return settings;
    }
}
