package org.tamer.routes.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.tamer.routes.adapters.mat.MatLimits;
import org.tamer.routes.adapters.wfdb.WfdbLimits;
import org.tamer.runtime.ecg.DecoderLimits;
import org.tamer.runtime.ecg.EcgRecord;

/** The limits the fuzz targets decode under, and the check every decoded record must pass. */
final class FuzzSupport {

    /**
     * Tighter than the defaults, so that the fuzzing JVM's heap (512 MB) holds anything a decoder may allocate
     * within them many times over: an allocation the heap cannot hold is a decoder ignoring a limit.
     */
    static final DecoderLimits LIMITS = new DecoderLimits(8L << 20, 64, 200_000, 2_000_000L, 32, 50_000, 1_000,
            100_000);
    static final WfdbLimits WFDB_LIMITS = new WfdbLimits(1L << 20, 64, 8L << 20);
    static final MatLimits MAT_LIMITS = new MatLimits(8L << 20, 2_000_000L, 32);

    private FuzzSupport() {
    }

    /**
     * Runs a target once over its committed inputs before fuzzing starts, so that class loading and the first
     * compilation (seconds under load) do not count against the one-second limit per input.
     */
    static void warmUp(Class<?> test, String method, Consumer<byte[]> target) {
        URL folder = test.getResource(test.getSimpleName() + "Inputs/" + method);
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            for (Path file : files.sorted().toList()) {
                target.accept(Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record a decoder returned must be within the limits it decoded under. */
    static void checkWithinLimits(EcgRecord record) {
        int leads = record.signal().leadCount();
        int samples = record.signal().length();
        // MUSE and Sierra derive four limb leads from I and II after decoding
        assertTrue(leads <= LIMITS.maxLeads() + 4, leads + " leads");
        assertTrue(samples <= LIMITS.maxSamplesPerLead(), samples + " samples per lead");
        assertTrue((long) leads * samples <= LIMITS.maxTotalSamples() + 4L * samples, leads + " x " + samples);
        record.reportText().ifPresent(text -> assertTrue(text.length() <= LIMITS.maxTextLength() * 2L + 16,
                text.length() + " characters of report"));
    }
}
