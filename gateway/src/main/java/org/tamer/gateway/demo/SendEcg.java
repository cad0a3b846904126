package org.tamer.gateway.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.UUID;
import org.tamer.gateway.security.DevelopmentKey;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.routes.mllp.MllpClient;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * The README's second step: sends a real PTB-XL ECG to a running gateway as an HL7 v2 ORU^R01 (IHE PCD-01 style)
 * over MLLP, prints the ACK, then waits for the diagnosis and prints the FHIR Observation.
 *
 * <p>Options: {@code --record N} (PTB-XL ecg_id, default 1), {@code --host}, {@code --mllp-port} (2575),
 * {@code --http-port} (8080), {@code --data DIR} (the shared data), {@code --gateway-data DIR} (the gateway's data
 * folder holding its development key, default {@code ./data}), {@code --fhir-base URL} (look for the result at
 * that FHIR server instead, e.g. the compose stack's HAPI FHIR server, without a token unless {@code TAMER_TOKEN}
 * is set); a token in {@code TAMER_TOKEN} is used instead of one made with the development key.
 */
public final class SendEcg {

    private SendEcg() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int ecgId = 1;
        String host = "localhost";
        int mllpPort = 2575;
        int httpPort = 8080;
        String data = System.getenv().getOrDefault("TAMER_DATA_DIR", System.getProperty("tamer.data.dir",
                "../shared/data"));
        String gatewayData = "./data";
        String fhirBase = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--record" -> ecgId = Integer.parseInt(args[i + 1]);
                case "--host" -> host = args[i + 1];
                case "--mllp-port" -> mllpPort = Integer.parseInt(args[i + 1]);
                case "--http-port" -> httpPort = Integer.parseInt(args[i + 1]);
                case "--data" -> data = args[i + 1];
                case "--gateway-data" -> gatewayData = args[i + 1];
                case "--fhir-base" -> fhirBase = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        EcgRecord record = new PtbXlArchive(Path.of(data, "ptbxl"), true, ReportLanguage.ENGLISH_STATEMENTS)
                .read(Integer.toString(ecgId));
        String controlId = "DEMO-" + UUID.randomUUID().toString().substring(0, 8);
        String message = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "DEMO-CART",
                "DEMO-WARD").write(record, controlId, ZonedDateTime.now());
        System.out.printf("sending PTB-XL record %d (%d leads x %d samples at %.0f Hz, report: %s) as %d bytes of "
                        + "HL7 v2 to %s:%d%n", ecgId, record.signal().leadCount(), record.signal().length(),
                record.signal().samplingRateHz(), record.reportText().orElse("-"), message.length(), host, mllpPort);
        String ack;
        try (MllpClient client = MllpClient.connect(host, mllpPort, null, Duration.ofSeconds(30),
                StandardCharsets.ISO_8859_1)) {
            ack = client.send(message);
        }
        System.out.println("ACK: " + ack.replace('\r', '\n').strip().replace("\n", " | "));
        if (!ack.contains("|AA|") && !ack.contains("|CA|")) {
            System.exit(1);
        }
        String token = System.getenv("TAMER_TOKEN");
        if ((token == null || token.isBlank()) && fhirBase == null) {
            token = DevelopmentKey.loadOrCreate(Path.of(gatewayData)).token("demo-sender", "system/Observation.read",
                    Duration.ofMinutes(5));
        }
        String source = "urn:tamer:message:MLLP:" + controlId;
        String base = fhirBase != null ? fhirBase.replaceAll("/+$", "") : "http://" + host + ":" + httpPort + "/fhir";
        URI search = URI.create(base + "/Observation?_source=" + URLEncoder.encode(source, StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            HttpRequest.Builder request = HttpRequest.newBuilder(search).header("Accept", "application/fhir+json");
            if (token != null && !token.isBlank()) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                System.out.println("GET " + search + " answered " + response.statusCode() + ": " + response.body());
                System.exit(1);
            }
            if (!response.body().contains("\"total\":0")) {
                System.out.println("diagnosis (GET " + search + "):");
                System.out.println(response.body());
                return;
            }
            Thread.sleep(500);
        }
        System.out.println("no diagnosis within 2 minutes");
        System.exit(1);
    }
}
