package org.tamer.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.tamer.gateway.security.DevelopmentKey;

/**
 * The operator console end to end, in Debian's chromium driven by Selenium through the system chromedriver: a
 * gateway on PostgreSQL whose FHIR destination is down, so that real PTB-XL messages end DEAD after their delivery
 * attempts, and a message refused at intake (FAILED). In the page: the model panel and the state counts agree with
 * bundle.json and the database; the filters by state and by failure reason list exactly the database's rows; the
 * detail of a refused message shows its AE ACK and the refusal; a DEAD message shows its failed delivery attempts
 * and its result summary; after the FHIR server comes up, "Replay this message" and "Replay selected" clicked in
 * the page bring every DEAD message to DELIVERED at the server. A token without FHIR read scope sees no result, and
 * one without tamer/admin cannot replay. Leaves a screenshot in target/console.png.
 */
class ConsoleIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("tamer.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("tamer.chromedriver",
            "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void operatorFindsFailuresAndReplaysThemInTheBrowser() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "the console test needs "
                + "Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver; .ci/run "
                + "installs them): " + CHROMIUM + ", " + CHROMEDRIVER);
        Path root = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        JsonObject bundle = JsonParser.parseString(Files.readString(root.resolve(
                "models/tamer-ptbxl-default/bundle.json"))).getAsJsonObject();
        try (Postgres db = new Postgres("h23_console");
             FhirTestServer fhir = new FhirTestServer(GatewayProcess.freePort());
             GatewayProcess gateway = GatewayProcess.start("console", db, Map.of(
                     "TAMER_FHIR_SERVER_URL", fhir.baseUrl(), "TAMER_STORE_MAX_ATTEMPTS", "2"))) {
            Map<String, String> messages = EcgMessages.build("CONSOLE", 4);
            for (String message : messages.values()) {
                assertEquals("AA", EcgMessages.ackCode(EcgMessages.send(gateway.mllpPort, message)));
            }
            String lacking = withoutLastWaveformObx(EcgMessages.build("BROKEN", 3).values().stream()
                    .filter(m -> m.contains("|NA|")).findFirst().orElseThrow());
            assertEquals("AE", EcgMessages.ackCode(EcgMessages.send(gateway.mllpPort, lacking)));
            await(() -> db.count("state = 'DEAD'") == 4 && db.count("state = 'FAILED'") == 1);
            long failed = db.firstId("state = 'FAILED'");
            List<Long> dead = ids(db, "state = 'DEAD'");
            String failedReason = reason(db, failed);

            Path work = Path.of("target", "it-data", db.name).toAbsolutePath();
            DevelopmentKey key = DevelopmentKey.load(work);
            String everything = key.token("console-it", "tamer/operations tamer/admin system/Observation.read",
                    Duration.ofMinutes(30));
            String operationsOnly = key.token("console-it", "tamer/operations", Duration.ofMinutes(30));
            String base = "http://127.0.0.1:" + gateway.httpPort;
            assertConsolePageIsServedWithItsPolicy(base);

            WebDriver browser = chromium();
            try {
                WebDriverWait wait = new WebDriverWait(browser, WAIT);
                browser.get(base + "/console/#token=" + operationsOnly);
                wait.until(d -> !text(d, "model-name").equals("-"));
                // the test refreshes by clicking Apply, so that no row is replaced under a click
                browser.findElement(By.id("auto-refresh")).click();
                // the model panel shows the served bundle
                assertEquals(bundle.get("name").getAsString(), text(browser, "model-name"));
                assertEquals(bundle.get("version").getAsString(), text(browser, "model-version"));
                assertEquals(bundle.get("parametersSha256").getAsString(), text(browser, "model-sha"));
                assertTrue(!browser.getCurrentUrl().contains("token="), "the token is taken out of the address");
                // counts by state as in the database
                assertEquals("4", browser.findElement(By.cssSelector("#count-DEAD .value")).getText());
                assertEquals("1", browser.findElement(By.cssSelector("#count-FAILED .value")).getText());

                // filter by state: exactly the database's FAILED and DEAD rows, newest first
                new Select(browser.findElement(By.id("filter-state"))).selectByValue("FAILED,DEAD");
                List<Long> failedOrDead = ids(db, "state IN ('FAILED', 'DEAD')");
                wait.until(d -> rowIds(d).equals(failedOrDead));
                // filter by a text of the failure reason: the refused message only
                String fragment = failedReason.substring(0, Math.min(20, failedReason.length()));
                browser.findElement(By.id("filter-reason")).sendKeys(fragment);
                browser.findElement(By.id("apply")).click();
                wait.until(d -> rowIds(d).equals(List.of(failed)));

                // its detail: the AE ACK that was sent, the refusal in the timeline; with this token no result
                rowOf(browser, failed).findElement(By.cssSelector("td:nth-child(2)")).click();
                wait.until(d -> d.findElement(By.id("detail")).isDisplayed()
                        && text(d, "detail-id").startsWith(failed + " "));
                assertTrue(text(browser, "detail-ack").contains("MSA|AE"), text(browser, "detail-ack"));
                assertTrue(text(browser, "detail-timeline").contains("refused at intake"),
                        text(browser, "detail-timeline"));
                assertTrue(text(browser, "detail-result").contains("needs system/Observation.read"),
                        text(browser, "detail-result"));
                // replay without tamer/admin is refused, and the page says why
                browser.findElement(By.id("replay-one")).click();
                wait.until(d -> text(d, "notice").contains("tamer/admin"));
                assertEquals(1, db.count("state = 'FAILED'"));

                // with the full token: a DEAD message's failed deliveries and its result summary
                browser.findElement(By.id("token")).sendKeys(everything);
                browser.findElement(By.id("use-token")).click();
                new Select(browser.findElement(By.id("filter-state"))).selectByValue("DEAD");
                browser.findElement(By.id("filter-reason")).clear();
                browser.findElement(By.id("apply")).click();
                wait.until(d -> rowIds(d).equals(dead));
                long first = dead.get(dead.size() - 1);
                rowOf(browser, first).findElement(By.cssSelector("td:nth-child(2)")).click();
                wait.until(d -> text(d, "detail-id").startsWith(first + " ")
                        && d.findElements(By.cssSelector("#detail-probabilities tr")).size() == bundle
                        .getAsJsonArray("classes").size());
                assertEquals(2, browser.findElements(By.cssSelector("#detail-deliveries .state.SEND-FAILED"))
                        .size(), text(browser, "detail-deliveries"));
                assertTrue(text(browser, "detail-ack").contains("MSA|AA"));

                // the destination comes up; replay one in the detail, then the rest by selection
                fhir.start();
                browser.findElement(By.id("replay-one")).click();
                wait.until(d -> text(d, "notice").contains("Replayed 1 of 1"));
                await(() -> stateOf(db, first).equals("DELIVERED"));
                browser.findElement(By.id("apply")).click();
                wait.until(d -> text(d, "detail-state").equals("DELIVERED"));
                browser.findElement(By.id("close-detail")).click();
                wait.until(d -> rowIds(d).equals(dead.subList(0, dead.size() - 1)));
                for (long id : dead.subList(0, dead.size() - 1)) {
                    rowOf(browser, id).findElement(By.cssSelector("input.pick")).click();
                }
                browser.findElement(By.id("replay-selected")).click();
                wait.until(d -> text(d, "notice").contains("Replayed 3 of 3"));
                await(() -> db.count("state = 'DELIVERED'") == 4);
                assertEquals(4, fhir.storedDiagnosisKeys().size(), "one diagnosis per replayed message");
                assertEquals(1, db.count("state = 'FAILED'"), "the refused message stays refused");

                // what an operator sees after the replays, for the docs
                new Select(browser.findElement(By.id("filter-state"))).selectByValue("");
                wait.until(d -> rowIds(d).size() == 5 && text(d, "count-DELIVERED").startsWith("4"));
                rowOf(browser, first).findElement(By.cssSelector("td:nth-child(2)")).click();
                wait.until(d -> text(d, "detail-id").startsWith(first + " ")
                        && d.findElements(By.cssSelector("#detail-probabilities tr")).size() > 0);
                screenshot(browser, Path.of("target", "console.png"));
            } finally {
                browser.quit();
            }
        }
    }

    private static WebDriver chromium() throws Exception {
        Path profile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1300", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void assertConsolePageIsServedWithItsPolicy(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/console/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("operator console"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        HttpResponse<String> data = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, data.statusCode(), "the page is open, its data is not");
    }

    /** The message without its last NA observation: one lead missing, which intake refuses with AE. */
    private static String withoutLastWaveformObx(String message) {
        List<String> segments = new ArrayList<>(List.of(message.split("\r")));
        for (int i = segments.size() - 1; i >= 0; i--) {
            if (segments.get(i).startsWith("OBX|") && segments.get(i).split("\\|", -1)[2].equals("NA")) {
                segments.remove(i);
                return String.join("\r", segments) + "\r";
            }
        }
        throw new AssertionError("no NA OBX segment in the message");
    }

    private static String text(WebDriver browser, String id) {
        return browser.findElement(By.id(id)).getText().strip();
    }

    private static List<Long> rowIds(WebDriver browser) {
        List<Long> ids = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("#messages tbody tr[data-id]"))) {
            ids.add(Long.parseLong(row.getAttribute("data-id")));
        }
        return ids;
    }

    private static WebElement rowOf(WebDriver browser, long id) {
        return browser.findElement(By.cssSelector("#messages tbody tr[data-id='" + id + "']"));
    }

    private static void screenshot(WebDriver browser, Path file) throws Exception {
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<Long> ids(Postgres db, String where) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id FROM message WHERE " + where + " ORDER BY id DESC")) {
            while (r.next()) {
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }

    private static String reason(Postgres db, long id) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT failure_reason FROM message WHERE id = " + id)) {
            r.next();
            return r.getString(1);
        }
    }

    private static String stateOf(Postgres db, long id) {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT state FROM message WHERE id = " + id)) {
            r.next();
            return r.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(ThrowingCondition condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + WAIT);
            }
            Thread.sleep(200);
        }
    }

    /** A database that does not answer in time (a loaded machine) counts as "not yet". */
    private static boolean holds(ThrowingCondition condition) throws Exception {
        try {
            return condition.holds();
        } catch (java.sql.SQLException | IllegalStateException e) {
            return false;
        }
    }

    /** A condition that may read the database. */
    @FunctionalInterface
    private interface ThrowingCondition {
        boolean holds() throws Exception;
    }
}
