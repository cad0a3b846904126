package org.tamer.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.testdata.SharedData;

/**
 * Issue 20's local file read, over HTTP against the gateway process: uploaded WFDB headers naming
 * {@code /etc/passwd}, {@code ../}, {@code /dev/zero}, a FIFO, a planted file and a missing path all get the same
 * 422 saying how to send a record (a zip of header and signal files), with nothing of another file in it; the
 * gateway keeps serving and a real PTB-XL record sent as a zip is accepted.
 */
class WfdbUploadIT {

    @Test
    void uploadedWfdbHeadersNeverOpenOtherFilesAndAZipOfARecordIsAccepted(@TempDir Path dir) throws Exception {
        Path planted = dir.resolve("planted.dat");
        Files.writeString(planted, "planted secret, 28 bytes...\n");
        Path fifo = dir.resolve("pipe.dat");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        List<String> targets = List.of("/etc/passwd", "../../../../etc/passwd", "/dev/zero", fifo.toString(),
                planted.toString(), dir.resolve("missing.dat").toString(), "00001_hr.dat");
        try (Postgres db = new Postgres("h22_it");
             GatewayProcess gateway = GatewayProcess.start("wfdb-upload", db, Map.of("TAMER_SECURITY_ENABLED",
                     "false"))) {
            HttpClient client = HttpClient.newHttpClient();
            List<String> answers = new ArrayList<>();
            for (String target : targets) {
                String header = "evil 1 500 14\n" + target + " 16 200/mV 16 0 0 0 0 I\n";
                HttpResponse<String> r = post(client, gateway.httpPort, "evil.hea", "application/octet-stream",
                        header.getBytes(StandardCharsets.US_ASCII));
                assertEquals(422, r.statusCode(), target + ": " + r.body());
                assertTrue(r.body().contains("Send the header and its signal files together as one zip file"),
                        r.body());
                assertFalse(r.body().contains("planted") || r.body().contains("root:"), r.body());
                answers.add(r.body().replaceAll("stored as message \\d+", "stored as message N"));
            }
            assertEquals(1, answers.stream().distinct().count(), "one answer whatever the header names: " + answers);

            Path header = SharedData.ptbXlHeader(1, true);
            Map<String, byte[]> record = new LinkedHashMap<>();
            record.put("00001_hr.hea", Files.readAllBytes(header));
            record.put("00001_hr.dat", Files.readAllBytes(header.resolveSibling("00001_hr.dat")));
            HttpResponse<String> accepted = post(client, gateway.httpPort, "00001_hr.zip", "application/zip",
                    zip(record));
            assertEquals(201, accepted.statusCode(), accepted.body());
            assertTrue(accepted.body().contains("\"record\":\"00001_hr\""), accepted.body());

            Map<String, byte[]> evil = new LinkedHashMap<>();
            evil.put("evil.hea", ("evil 1 500 14\n/etc/passwd 16 200/mV 16 0 0 0 0 I\n")
                    .getBytes(StandardCharsets.US_ASCII));
            HttpResponse<String> refused = post(client, gateway.httpPort, "evil.zip", "application/zip", zip(evil));
            assertEquals(422, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("a signal file must be named relative to the header's own folder"),
                    refused.body());
            assertFalse(refused.body().contains("root:"), refused.body());
        }
    }

    private static HttpResponse<String> post(HttpClient client, int port, String name, String type, byte[] body)
            throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload?name=" + name))
                        .timeout(Duration.ofMinutes(5)).header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] zip(Map<String, byte[]> entries) throws Exception {
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
}
