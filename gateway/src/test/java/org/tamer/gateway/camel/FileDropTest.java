package org.tamer.gateway.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.StoredMessage;
import org.tamer.gateway.testing.MigratedH2;
import org.tamer.gateway.testing.RealFhirIntake;
import org.tamer.routes.route.FileDropRoute;
import org.tamer.runtime.testdata.SharedData;

/**
 * The {@code file-drop} route watching a real folder, feeding the gateway's real intake and store (H2 with the real
 * migrations), with the real archive files of the shared data: DICOM, HL7 aECG, Philips Sierra 1.03 and 1.04, and
 * an invalid Sierra file.
 */
class FileDropTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    private MessageStore store;
    private RouteRunner drop;
    private Path inbox;

    @BeforeEach
    void start() throws Exception {
        store = new MessageStore(MigratedH2.in(directory), Clock.systemUTC());
        inbox = directory.resolve("inbox");
        drop = new RouteRunner(new FileDropRoute(new FileDropRoute.Settings(inbox, Duration.ofMillis(200),
                Duration.ofMillis(300)), RealFhirIntake.over(store)));
    }

    @AfterEach
    void stop() {
        drop.close();
    }

    private static final Map<String, String> FILES = Map.of(
            "ecg.dcm", "formats/dicom-waveform_ecg.dcm",
            "aecg.xml", "formats/hl7-aecg-example.xml",
            "sierra-103.xml", "formats/sierra/1_03/129DYPRG.XML",
            "sierra-104.xml", "formats/sierra/1_04/3191723_ZZDEMOPTONLY_1-04_orig.xml",
            "not-an-ecg.xml", "formats/sierra/invalid-doc-type.xml");

    @Test
    void everyDroppedFileIsStoredOnceAndMovedAfterwards() throws Exception {
        // written under a name the route ignores, then renamed, as a careful sender does
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            Path part = inbox.resolve(file.getKey() + ".part");
            Files.copy(SharedData.file(file.getValue()), part);
            Files.move(part, inbox.resolve(file.getKey()));
        }
        await("all five files taken", () -> names(inbox).isEmpty());
        await("all five files moved", () -> names(inbox.resolve(FileDropRoute.DONE)).size() == 4
                && names(inbox.resolve(FileDropRoute.FAILED)).size() == 2);

        for (String name : List.of("ecg.dcm", "aecg.xml", "sierra-103.xml", "sierra-104.xml")) {
            StoredMessage m = only(name);
            assertEquals(MessageState.PARSED, m.state(), name);
            assertTrue(names(inbox.resolve(FileDropRoute.DONE)).stream().anyMatch(f -> f.endsWith("-" + name)), name);
        }
        StoredMessage rejected = only("not-an-ecg.xml");
        assertEquals(MessageState.FAILED, rejected.state());
        Path reason = Files.list(inbox.resolve(FileDropRoute.FAILED)).filter(p -> p.toString().endsWith(".reason.txt"))
                .findFirst().orElseThrow();
        assertEquals(rejected.failureReason().orElseThrow() + "\n", Files.readString(reason, StandardCharsets.UTF_8));
        assertTrue(reason.getFileName().toString().endsWith("-not-an-ecg.xml.reason.txt"), reason.toString());
        assertTrue(rejected.failureReason().get().startsWith("not-an-ecg.xml: documentinfo/documenttype: "),
                "names the file as dropped, the field and the reason: " + rejected.failureReason().get());

        // the same file dropped again is recognised, not stored a second time
        Files.copy(SharedData.file(FILES.get("ecg.dcm")), inbox.resolve("ecg.dcm"));
        await("the resent file moved", () -> names(inbox.resolve(FileDropRoute.DONE)).size() == 5);
        assertEquals(5L, store.countsByState().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(1, store.findByControlId(Channel.UPLOAD, only("ecg.dcm").controlId()).size());
    }

    private StoredMessage only(String name) {
        List<StoredMessage> found = uploads(name);
        assertEquals(1, found.size(), name + ": " + found);
        return found.get(0);
    }

    private List<StoredMessage> uploads(String name) {
        try {
            byte[] content = Files.readAllBytes(SharedData.file(FILES.get(name)));
            String sha = org.tamer.runtime.Digests.sha256Hex(content);
            return store.findByControlId(Channel.UPLOAD, name + "@" + sha.substring(0, 32));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> names(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
