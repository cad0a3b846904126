package org.tamer.routes.adapters.wfdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.routes.adapters.EcgFileReader;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.mat.MatLimits;
import org.tamer.runtime.testdata.SharedData;

/**
 * The hostile inputs of the attack run (issue 20): a WFDB header naming {@code /etc/passwd}, a {@code ../} path,
 * {@code /dev/zero}, a FIFO and a missing path. A record on disk reads signal files only inside its own folder; an
 * upload reads only the bytes sent with it; the answer is the same whether the named target exists or not, and
 * never carries data of another file.
 */
class WfdbSignalFileConfinementTest {

    private static final List<String> OUTSIDE = List.of("/etc/passwd", "/etc/no-such-file", "/dev/zero",
            "../secret.dat", "../no-such.dat", "sub/../../secret.dat", "-", "~/x.dat");

    private final WfdbReader reader = new WfdbReader();
    private final EcgFileReader files = new EcgFileReader();

    @Test
    void aRecordOnDiskNeverReadsOutsideItsFolder(@TempDir Path dir) throws IOException {
        Path records = Files.createDirectories(dir.resolve("records"));
        Files.writeString(dir.resolve("secret.dat"), "planted secret, 28 bytes...\n");
        String first = null;
        for (String target : OUTSIDE) {
            Files.writeString(records.resolve("evil.hea"), header(target));
            EcgFormatException e = assertThrows(EcgFormatException.class, () -> reader.read(records.resolve(
                    "evil.hea")), target);
            assertEquals("signal file", e.field(), target);
            if (first == null) {
                first = e.getMessage();
            }
            assertEquals(first, e.getMessage(), "the same answer for " + target + " as for " + OUTSIDE.get(0));
            EcgFormatException viaFiles = assertThrows(EcgFormatException.class,
                    () -> files.read(records.resolve("evil.hea")), target);
            assertEquals(first, viaFiles.getMessage());
        }
        assertFalse(first.contains("planted") || first.contains("root:"), first);
    }

    @Test
    void aFifoALinkOutAndAFolderInTheRecordsFolderAreNotRead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("secret.dat"), "planted secret, 28 bytes...\n");
        Path records = Files.createDirectories(dir.resolve("records"));
        Process mkfifo = new ProcessBuilder("mkfifo", records.resolve("pipe.dat").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Files.createSymbolicLink(records.resolve("link.dat"), dir.resolve("secret.dat"));
        Files.createSymbolicLink(records.resolve("zero.dat"), Path.of("/dev/zero"));
        Files.createDirectories(records.resolve("folder.dat"));
        Map<String, String> expected = Map.of("pipe.dat", "not a regular file; nothing was read",
                "link.dat", "links out of the record's folder; nothing was read",
                "zero.dat", "links out of the record's folder; nothing was read",
                "folder.dat", "not a regular file; nothing was read");
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (Map.Entry<String, String> target : expected.entrySet()) {
                Files.writeString(records.resolve("evil.hea"), header(target.getKey()));
                EcgFormatException e = assertThrows(EcgFormatException.class,
                        () -> reader.read(records.resolve("evil.hea")));
                assertEquals(target.getKey(), e.field());
                assertEquals(target.getValue(), e.reason());
            }
        }, "a FIFO must not block the reader");
    }

    @Test
    void aSignalFileIsNotReadBeyondTheLimitOrTheHeadersNeed(@TempDir Path dir) throws IOException {
        copyPtbXl(3, dir);
        WfdbReader small = new WfdbReader(java.time.ZoneId.of("UTC"), new WfdbLimits(1 << 20, 16, 100_000));
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> small.read(dir.resolve("00003_hr.hea")));
        assertEquals("the signal file is 120000 bytes, over the limit of 100000 "
                + "(tamer.decoder.max-wfdb-signal-file-bytes)", e.reason());
        // bytes after what the header declares are not read (the header decides how much, within the limit)
        Path dat = dir.resolve("00003_hr.dat");
        Files.write(dat, new byte[1 << 20], java.nio.file.StandardOpenOption.APPEND);
        assertEquals(5000, reader.read(dir.resolve("00003_hr.hea")).ecg().signal().length());
    }

    @Test
    void anUploadedHeaderAloneIsRefusedWithHowToSendItWhateverItNames() {
        String first = null;
        for (String target : java.util.stream.Stream.concat(OUTSIDE.stream(), java.util.stream.Stream.of("00001_hr.dat")).toList()) {
            byte[] header = header(target).getBytes(StandardCharsets.US_ASCII);
            EcgFormatException e = assertThrows(EcgFormatException.class, () -> files.read(header, "evil.hea"));
            assertEquals(EcgFileReader.WFDB_HOW_TO_SEND, e.reason());
            first = first == null ? e.getMessage() : first;
            assertEquals(first, e.getMessage());
            // also when the name does not say .hea
            assertEquals(EcgFileReader.WFDB_HOW_TO_SEND, assertThrows(EcgFormatException.class,
                    () -> files.read(header, "upload")).reason());
        }
    }

    @Test
    void anUploadedZipReadsOnlyItsOwnEntries() throws IOException {
        Path header = SharedData.ptbXlHeader(7, true);
        byte[] hea = Files.readAllBytes(header);
        byte[] dat = Files.readAllBytes(header.resolveSibling("00007_hr.dat"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("00007_hr.hea", hea);
        entries.put("00007_hr.dat", dat);
        assertEquals(reader.read(header).ecg().signal(), files.read(zip(entries), "rec.zip").signal());
        Map<String, byte[]> nested = new LinkedHashMap<>();
        nested.put("export/00007_hr.hea", hea);
        nested.put("export/00007_hr.dat", dat);
        assertEquals(reader.read(header).ecg().signal(), files.read(zip(nested), "rec.zip").signal());

        String first = null;
        for (String target : OUTSIDE) {
            Map<String, byte[]> evil = new LinkedHashMap<>();
            evil.put("evil.hea", header(target).getBytes(StandardCharsets.US_ASCII));
            evil.put("evil.dat", dat);
            EcgFormatException e = assertThrows(EcgFormatException.class, () -> files.read(zip(evil), "e.zip"));
            first = first == null ? e.getMessage() : first;
            assertEquals(first, e.getMessage(), target);
        }
        Map<String, byte[]> missing = new LinkedHashMap<>();
        missing.put("evil.hea", header("other.dat").getBytes(StandardCharsets.US_ASCII));
        EcgFormatException notSent = assertThrows(EcgFormatException.class, () -> files.read(zip(missing), "e.zip"));
        assertEquals("the header names 'other.dat', which was not sent with it (sent: )", notSent.reason());

        Map<String, byte[]> slip = new LinkedHashMap<>();
        slip.put("../evil.hea", hea);
        assertEquals("entry names must be relative without '..'", assertThrows(EcgFormatException.class,
                () -> files.read(zip(slip), "e.zip")).reason());
    }

    @Test
    void aZipBombStopsAtTheLimit() throws IOException {
        Map<String, byte[]> bomb = new LinkedHashMap<>();
        bomb.put("bomb.hea", "bomb 1 500\nbomb.dat 16 200/mV 16 0 0 0 0 I\n".getBytes(StandardCharsets.US_ASCII));
        bomb.put("bomb.dat", new byte[8 << 20]);
        byte[] zip = zip(bomb);
        assertTrue(zip.length < 100_000, "compresses to " + zip.length);
        EcgFileReader limited = new EcgFileReader(new WfdbLimits(1 << 16, 16, 1 << 20), MatLimits.defaults());
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> limited.read(zip, "bomb.zip"));
        assertEquals("zip", e.field());
        assertEquals("inflates to more than 1114112 bytes, the limit (tamer.decoder.max-wfdb-signal-file-bytes plus "
                + "tamer.decoder.max-wfdb-header-bytes)", e.reason());
    }

    private static String header(String signalFile) {
        return "evil 1 500 14\n" + signalFile + " 16 200/mV 16 0 0 0 0 I\n";
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void copyPtbXl(int id, Path dir) throws IOException {
        Path header = SharedData.ptbXlHeader(id, true);
        Files.copy(header, dir.resolve(header.getFileName()));
        String dat = header.getFileName().toString().replace(".hea", ".dat");
        Files.copy(header.resolveSibling(dat), dir.resolve(dat));
    }
}
