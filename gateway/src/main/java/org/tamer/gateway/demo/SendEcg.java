package org.tamer.gateway.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.r4.model.Bundle;
import org.tamer.gateway.pipeline.MessageSourceUri;
import org.tamer.gateway.security.DevelopmentKey;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.summary.DiagnosisSummary;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.routes.mllp.MllpClient;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * The README's second step ({@code bin/tamer-send}): sends a real PTB-XL ECG to a running gateway as an HL7 v2
 * ORU^R01 (IHE PCD-01 style) over MLLP, prints the ACK, waits for the diagnosis, prints a short summary of it
 * (interpretation, findings, probabilities, model) and then the FHIR search result, pretty-printed (or, with
 * {@code --output FILE}, writes it there).
 *
 * <p>Options: {@code --record N} (PTB-XL ecg_id, default 1), {@code --host}, {@code --mllp-port} (2575),
 * {@code --http-port} (8080), {@code --data DIR} (the shared data; default {@code tamer.data.dir} or
 * {@code TAMER_DATA_DIR}), {@code --gateway-data DIR} (the gateway's work folder holding its development key;
 * default {@code tamer.work-dir}, {@code TAMER_WORK_DIR} or {@code ./data}), {@code --fhir-base URL} (look for the
 * result at that FHIR server instead, e.g. the compose stack's HAPI FHIR server, without a token unless
 * {@code TAMER_TOKEN} is set), {@code --output FILE}, {@code --timeout SECONDS} (300); a token in
 * {@code TAMER_TOKEN} is used instead of one made with the development key.
 */
public final class SendEcg {

    private SendEcg() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int ecgId = 1;
        String host = "localhost";
        int mllpPort = 2575;
        int httpPort = 8080;
        String data = firstNonBlank(System.getenv("TAMER_DATA_DIR"), System.getProperty("tamer.data.dir"),
                "../shared/data");
        String gatewayData = firstNonBlank(System.getenv("TAMER_WORK_DIR"), System.getProperty("tamer.work-dir"),
                "./data");
        String fhirBase = null;
        Path output = null;
        int timeoutSeconds = 300;
        if (java.util.Arrays.asList(args).contains("--help")) {
            usage(null);
        }
        if (args.length % 2 != 0) {
            usage("every option takes a value; got " + String.join(" ", args));
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            try {
                switch (args[i]) {
                    case "--record" -> ecgId = Integer.parseInt(args[i + 1]);
                    case "--host" -> host = args[i + 1];
                    case "--mllp-port" -> mllpPort = Integer.parseInt(args[i + 1]);
                    case "--http-port" -> httpPort = Integer.parseInt(args[i + 1]);
                    case "--data" -> data = args[i + 1];
                    case "--gateway-data" -> gatewayData = args[i + 1];
                    case "--fhir-base" -> fhirBase = args[i + 1];
                    case "--output" -> output = Path.of(args[i + 1]);
                    case "--timeout" -> timeoutSeconds = Integer.parseInt(args[i + 1]);
                    default -> usage("unknown option " + args[i]);
                }
            } catch (NumberFormatException e) {
                usage(args[i] + " needs a number, got '" + args[i + 1] + "'");
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
            token = DevelopmentKey.load(Path.of(gatewayData)).token("demo-sender", "system/Observation.read",
                    Duration.ofMinutes(5));
        }
        String source = MessageSourceUri.of(Channel.MLLP, controlId);
        String base = fhirBase != null ? fhirBase.replaceAll("/+$", "") : "http://" + host + ":" + httpPort + "/fhir";
        URI search = URI.create(base + "/Observation?_source=" + URLEncoder.encode(source, StandardCharsets.UTF_8)
                + "&_include=Observation:device");
        // bounded waits: a gateway that stops answering ends the demo with a message instead of hanging it
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        IParser parser = FhirContext.forR4Cached().newJsonParser();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        while (System.nanoTime() < deadline) {
            HttpRequest.Builder request = HttpRequest.newBuilder(search).timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/fhir+json");
            if (token != null && !token.isBlank()) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                System.out.println("GET " + search + " answered " + response.statusCode() + ": " + response.body());
                System.exit(1);
            }
            Bundle found = parser.parseResource(Bundle.class, response.body());
            Optional<DiagnosisSummary> summary = DiagnosisSummary.of(found);
            if (summary.isPresent()) {
                System.out.println();
                System.out.println("diagnosis of PTB-XL record " + ecgId + " (message " + controlId + "):");
                summary.get().lines().forEach(line -> System.out.println("  " + line));
                System.out.println();
                String pretty = parser.setPrettyPrint(true).encodeResourceToString(found);
                if (output != null) {
                    Files.writeString(output, pretty + "\n", StandardCharsets.UTF_8);
                    System.out.println("the FHIR search result (GET " + search + ") is in " + output.toAbsolutePath());
                } else {
                    System.out.println("the FHIR search result (GET " + search + "):");
                    System.out.println(pretty);
                }
                return;
            }
            Thread.sleep(500);
        }
        System.out.println("no diagnosis within " + timeoutSeconds + " s");
        System.exit(1);
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        throw new IllegalArgumentException("no value");
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("tamer-send: " + problem);
        }
        System.err.println("usage: bin/tamer-send [--record N] [--host H] [--mllp-port P] [--http-port P] "
                + "[--data DIR] [--gateway-data DIR] [--fhir-base URL] [--output FILE] [--timeout SECONDS]");
        System.exit(problem == null ? 0 : 2);
    }
}
