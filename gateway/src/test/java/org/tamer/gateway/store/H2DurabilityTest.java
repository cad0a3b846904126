package org.tamer.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.Digests;

/**
 * The zero-configuration store survives a killed process: a child JVM stores messages through {@link MessageStore}
 * on an H2 file opened with exactly the URL settings of {@code application.yml}, and halts the moment the last
 * insert has returned (no shutdown hooks, like SIGKILL). Every message whose insert returned, which is every
 * message the gateway would have acknowledged, must be there when the database is opened again.
 */
class H2DurabilityTest {

    private static final int MESSAGES = 150;

    @TempDir
    Path directory;

    @Test
    void everyCommittedMessageSurvivesAKill() throws Exception {
        String url = defaultUrl().replace("./data/tamer-gateway", directory.resolve("store").toString());
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), url)
                .redirectErrorStream(true).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child did not finish");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(output.contains("stored " + MESSAGES), output);

        MessageStore reopened = new MessageStore(dataSource(url), Clock.systemUTC());
        assertEquals(MESSAGES, reopened.countsByState().getOrDefault(MessageState.PARSED, 0L),
                "messages whose insert had returned before the kill");
    }

    /** The H2 URL that application.yml uses when TAMER_STORE_URL is not set. */
    static String defaultUrl() throws Exception {
        String yaml = Files.readString(Path.of("src/main/resources/application.yml"));
        Matcher m = Pattern.compile("\\$\\{TAMER_STORE_URL:`([^`]+)`}").matcher(yaml);
        assertTrue(m.find(), "no default store URL in application.yml");
        return m.group(1);
    }

    static JdbcDataSource dataSource(String url) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser("sa");
        return h2;
    }

    /** Stores {@value #MESSAGES} messages, then halts without any shutdown. */
    public static final class Child {
        public static void main(String[] args) {
            JdbcDataSource h2 = dataSource(args[0]);
            Flyway.configure().dataSource(h2).load().migrate();
            MessageStore store = new MessageStore(h2, Clock.systemUTC());
            for (int i = 0; i < MESSAGES; i++) {
                byte[] raw = ("MSH|^~\\&|CART|WARD|TAMER|TEST|20261124120000||ORU^R01|K" + i + "|P|2.5.1\r")
                        .getBytes(StandardCharsets.ISO_8859_1);
                store.insert(new NewMessage(Channel.MLLP, "K" + i, Digests.sha256Hex(raw), raw, "127.0.0.1",
                        MessageState.PARSED, Optional.of("ACK"), Optional.empty(), Optional.empty(),
                        Optional.empty()));
            }
            System.out.println("stored " + MESSAGES);
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }
}
