package org.tamer.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.docs.ExampleObservation;
import org.tamer.gateway.security.DevelopmentKey;
import org.tamer.runtime.testdata.SharedData;
import org.tamer.gateway.testing.EmbeddedGatewaySettings;

/**
 * The HTTP intake at its edges, with the real server and security on: the configured request limit is the one in
 * force (a body over Micronaut's 10 MiB buffer default is read, not refused), a FHIR JSON body that starts with a
 * UTF-8 byte order mark is read as JSON, and {@code /upload} answers a client that accepts only FHIR JSON.
 */
class HttpIntakeEdgesTest {

    @TempDir
    static Path directory;

    private static ApplicationContext context;
    private static int port;
    private static String token;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();

    @BeforeAll
    static void start() throws Exception {
        port = EmbeddedGatewaySettings.freePort();
        Path root = EmbeddedGatewaySettings.repositoryRoot();
        Map<String, Object> settings = EmbeddedGatewaySettings.httpOnly(directory, port);
        context = ApplicationContext.builder().properties(settings).start();
        context.getBean(EmbeddedServer.class).start();
        token = DevelopmentKey.loadOrCreate(directory.resolve("work")).token("edges",
                "system/Observation.cruds system/Bundle.cruds", Duration.ofMinutes(30));
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    private static HttpResponse<String> post(String path, String contentType, String accept, byte[] body)
            throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofMinutes(3)).header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType).header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUploadOverTenMibibytesIsReadUpToTheConfiguredLimit() throws Exception {
        // the real DICOM ECG, padded past 10 MiB after its last element: read and answered on its content
        byte[] dicom = Files.readAllBytes(SharedData.root().resolve("formats/dicom-waveform_ecg.dcm"));
        byte[] large = Arrays.copyOf(dicom, 12 << 20);
        HttpResponse<String> read = post("/upload?name=large.dcm", "application/dicom", "application/json", large);
        assertTrue(read.statusCode() != 413, read.statusCode() + " " + read.body());

        HttpResponse<String> over = post("/upload?name=huge.dcm", "application/dicom", "application/json",
                new byte[(64 << 20) + 1024]);
        assertEquals(413, over.statusCode(), over.body());
    }

    @Test
    void uploadAnswersAClientThatAcceptsOnlyFhirJson() throws Exception {
        byte[] dicom = Files.readAllBytes(SharedData.root().resolve("formats/dicom-waveform_ecg.dcm"));
        HttpResponse<String> answer = post("/upload?name=ecg.dcm", "application/dicom", "application/fhir+json",
                dicom);
        assertTrue(answer.statusCode() == 201 || answer.statusCode() == 200, answer.statusCode() + " "
                + answer.body());
        assertTrue(answer.headers().firstValue("Location").orElse("").startsWith("/fhir/"), answer.headers()
                .toString());
    }

    @Test
    void fhirJsonWithAByteOrderMarkIsReadAsJson() throws Exception {
        String observation = Files.readString(Path.of(System.getProperty("tamer.repository.root", ".."))
                .resolve(ExampleObservation.FILE), StandardCharsets.UTF_8);
        byte[] withMark = ("\uFEFF" + observation).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = post("/fhir/Observation", "application/fhir+json", "application/fhir+json",
                withMark);
        assertEquals(201, answer.statusCode(), answer.body());
    }
}
