package org.tamer.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.testdata.SharedData;

/**
 * Every shell command of docs/gateway.md, run as documented (bash, the real {@code curl}, {@code zip} and
 * {@code bin/tamer-token}) against a gateway this test starts on PostgreSQL with security on: the walkthrough's
 * token, {@code $diagnose} with the example Observation, uploads of the DICOM file and of a WFDB record zipped as
 * documented, the admin listing, detail, replay and status, and the console address. Only the gateway's address
 * and the shared data folder are changed. Each command must answer the status and content expected of it below,
 * and each documented command must have an expectation here: a command added, changed or removed in the docs fails
 * this test until the two agree again.
 */
class DocsCurlIT {

    private static final String DOCUMENT = "docs/gateway.md";

    /** What a documented command must do: the first expectation whose marker the command contains applies. */
    private record Expectation(String marker, int status, String body) {
    }

    private static final List<Expectation> EXPECTED = List.of(
            new Expectation("zip -j 00001_hr.zip", -1, ""),
            new Expectation("upload?name=00001_hr.zip", 201, "\"record\":\"00001_hr\""),
            new Expectation("TOKEN=$(bin/tamer-token", -1, ""),
            new Expectation("$diagnose", 200, "\"resourceType\":\"Bundle\""),
            new Expectation("upload?name=dicom-waveform_ecg.dcm", 201, "\"message\":"),
            new Expectation("/admin/messages?state=FAILED,DEAD", 200, "\"controlId\":\"DOCS0\""),
            new Expectation("/admin/messages/1", 200, "\"timeline\""),
            new Expectation("/admin/replay?id=1&id=2", 200, "{\"replayed\":1}"),
            new Expectation("/admin/status", 200, "tamer-ptbxl-default"),
            new Expectation("http://127.0.0.1:PORT/admin", 200, "\"console\":\"/console/\""),
            new Expectation("/console/#token=", -1, ""));

    @Test
    void everyDocumentedCommandWorksAgainstARunningGateway(@TempDir Path dir) throws Exception {
        List<DocumentedCommands.Command> commands = DocumentedCommands.of(DOCUMENT);
        try (Postgres db = new Postgres("h23_docs");
             GatewayProcess gateway = GatewayProcess.start("docs-curl", db, Map.of("TAMER_STORE_LEASE", "5m"))) {
            // message 1: an HL7 ECG lacking four leads, FAILED with an OBX reason (what the listing example seeks)
            String lacksLeads = EcgMessages.build("DOCS", 1).get("DOCS0").replaceAll(
                    "OBX\\|\\d+\\|(CD|NA)\\|13107[5-8][^\r]*\r", "");
            assertEquals("AE", EcgMessages.ackCode(EcgMessages.send(gateway.mllpPort, lacksLeads)));
            Path work = Path.of("target", "it-data", db.name).toAbsolutePath();
            Map<String, String> env = new HashMap<>(Map.of("TAMER_WORK_DIR", work.toString()));
            Path header = SharedData.ptbXlHeader(1, true);
            Files.copy(header, dir.resolve("00001_hr.hea"));
            Files.copy(header.resolveSibling("00001_hr.dat"), dir.resolve("00001_hr.dat"));

            // the walkthrough's token first: the upload section, earlier in the document, uses it too
            DocumentedCommands.Command tokenCommand = commands.stream().filter(c -> c.text().startsWith("TOKEN=$("))
                    .findFirst().orElseThrow(() -> new AssertionError(DOCUMENT + " has no TOKEN=$(...) command"));
            DocumentedCommands.Run token = DocumentedCommands.bash(tokenCommand.text() + "; printf '%s' \"$TOKEN\"",
                    DocumentedCommands.ROOT, env);
            assertEquals(0, token.exitCode(), tokenCommand.text() + ": " + token.err());
            assertTrue(token.out().startsWith("ey"), "a JWT: " + token.out());
            env.put("TOKEN", token.out());

            String base = "http://127.0.0.1:" + gateway.httpPort;
            Set<Expectation> used = new LinkedHashSet<>();
            List<String> wrong = new ArrayList<>();
            for (DocumentedCommands.Command command : commands) {
                String text = DocumentedCommands.localised(command.text(), gateway.httpPort)
                        .replace("https://gateway.example.org", base);
                String matchable = text.replace(base, "http://127.0.0.1:PORT");
                Expectation expected = EXPECTED.stream().filter(e -> matchable.contains(e.marker())).findFirst()
                        .orElseThrow(() -> new AssertionError("no expectation in DocsCurlIT for the command of '"
                                + command.section() + "': " + command.text()));
                used.add(expected);
                if (expected.marker().startsWith("TOKEN=")) {
                    continue; // run above
                }
                Path directory = command.section().startsWith("Uploading a WFDB record") ? dir
                        : DocumentedCommands.ROOT;
                boolean curl = text.startsWith("curl ");
                String script = curl ? "curl -w '\\nHTTP %{http_code}' " + text.substring("curl ".length()) : text;
                DocumentedCommands.Run run = DocumentedCommands.bash(script, directory, env);
                String problem = check(expected, run, curl, text, base, env);
                if (problem != null) {
                    wrong.add(command.section() + ": " + command.text() + "\n  -> " + problem);
                }
            }
            assertEquals(List.of(), wrong);
            List<String> unused = EXPECTED.stream().filter(e -> !used.contains(e)).map(Expectation::marker).toList();
            assertEquals(List.of(), unused, "expected commands missing from " + DOCUMENT);
        }
    }

    /** Null when the command did what is expected of it, else what went wrong. */
    private static String check(Expectation expected, DocumentedCommands.Run run, boolean curl, String text,
                                String base, Map<String, String> env) throws Exception {
        if (run.exitCode() != 0) {
            return "exit " + run.exitCode() + ": " + run.err() + run.out();
        }
        if (curl) {
            int cut = run.out().lastIndexOf("\nHTTP ");
            int status = Integer.parseInt(run.out().substring(cut + "\nHTTP ".length()).strip());
            String body = run.out().substring(0, cut).replaceAll("\"\\s*:\\s*", "\":");
            if (status != expected.status() || !body.contains(expected.body())) {
                return "HTTP " + status + " (expected " + expected.status() + " with " + expected.body() + "): "
                        + body.substring(0, Math.min(600, body.length()));
            }
            return null;
        }
        if (text.contains("/console/#token=")) {
            String address = run.out().strip();
            if (!address.startsWith(base + "/console/#token=ey")) {
                return "printed " + address;
            }
            DocumentedCommands.Run page = DocumentedCommands.bash("curl -sS -w '\\nHTTP %{http_code}' '"
                    + address.substring(0, address.indexOf('#')) + "'", DocumentedCommands.ROOT, env);
            if (!page.out().endsWith("HTTP 200") || !page.out().contains("operator console")) {
                return "the console page: " + page.out().substring(0, Math.min(300, page.out().length()));
            }
        }
        return null;
    }
}
