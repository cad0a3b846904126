package org.tamer.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console ({@code /console/}) end to end in a real headless browser: Debian's chromium driven through
 * its chromedriver by Selenium, against the gateway as its own JVM on PostgreSQL. Two ECG messages from PTB-XL
 * records, each with a patient name added to PID-5: one is diagnosed and, its FHIR server being down, ends DEAD
 * after its delivery attempts; the other lacks four leads and is FAILED at intake. An operator with a
 * {@code tamer/operations} token filters the list by state, opens the dead message (ACK, timeline, delivery
 * attempts; the result and record id hidden, as the token may not read Observations) and cannot replay it; with
 * the token the docs' console command prints (operations, admin, Observation read) the result appears, and a
 * click on Replay after the FHIR server is back brings the message to DELIVERED, checked through the admin API.
 * No patient name ever reaches the page or the gateway's log. The screenshot it leaves in
 * {@code target/it-logs/console.png} is the one in docs/gateway.md.
 */
class ConsoleIT {

    static final Path CHROMIUM = Path.of(System.getProperty("tamer.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("tamer.chromedriver", "/usr/bin/chromedriver"));
    private static final String FAMILY = "QUARTERMAINE";
    private static final String GIVEN = "HILDEGARD";
    /** Bounds each wait in the page: a loaded machine is slow, a broken page never gets there. */
    private static final Duration PAGE_WAIT = Duration.ofMinutes(2);

    @Test
    void operatorFiltersOpensAndReplaysADeadMessageInTheBrowser(@TempDir Path profile) throws Exception {
        requireBrowser();
        FhirTestServer fhir = new FhirTestServer(GatewayProcess.freePort()); // started only before the replay
        // one gateway, nothing to take over: a lease as long as a first diagnosis may take on a loaded machine
        Map<String, String> settings = Map.of("TAMER_FHIR_SERVER_URL", fhir.baseUrl(), "TAMER_STORE_GIVE_UP_AFTER",
                "1s", "TAMER_STORE_LEASE", "5m");
        Map<String, String> messages = EcgMessages.build("CONSOLE", 2);
        String diagnosable = withPatientName(messages.get("CONSOLE0"));
        java.util.regex.Matcher obr = java.util.regex.Pattern.compile("\rOBR\\|1\\|\\|([^|]+)\\|")
                .matcher(diagnosable);
        assertTrue(obr.find(), "OBR-3 names the ECG record");
        String recordId = obr.group(1);
        String lacksLeads = withPatientName(messages.get("CONSOLE1")).replaceAll(
                "OBX\\|\\d+\\|(CD|NA)\\|13107[5-8][^\r]*\r", "");
        try (Postgres db = new Postgres("h23_console");
             GatewayProcess gateway = GatewayProcess.start("console", db, settings)) {
            assertEquals("AA", EcgMessages.ackCode(EcgMessages.send(gateway.mllpPort, diagnosable)));
            assertEquals("AE", EcgMessages.ackCode(EcgMessages.send(gateway.mllpPort, lacksLeads)));
            ProgressWait.until("one message DEAD (FHIR server down) and one FAILED", () -> count(db,
                    "control_id = 'CONSOLE0' AND state = 'DEAD'") == 1 && count(db, "control_id = 'CONSOLE1' AND "
                    + "state = 'FAILED'") == 1, db::progress, Duration.ofMinutes(3));
            long dead = db.firstId("control_id = 'CONSOLE0'");
            long failed = db.firstId("control_id = 'CONSOLE1'");
            Path work = Path.of("target", "it-data", db.name).toAbsolutePath();
            String base = "http://127.0.0.1:" + gateway.httpPort;
            AdminApi admin = new AdminApi(base, token(work, "tamer/operations"));

            WebDriver browser = browser(profile);
            try {
                WebDriverWait wait = pageWait(browser);
                // an operations token only: lists and handling, no clinical content, no replay
                browser.get(base + "/console/#token=" + token(work, "tamer/operations"));
                wait.until(d -> d.findElement(By.id("model-name")).getText().contains("tamer"));
                assertFalse(browser.getCurrentUrl().contains("token="), "the page takes the token out of the address");
                wait.until(d -> d.findElement(By.cssSelector("#count-DEAD .value")).getText().equals("1")
                        && d.findElement(By.cssSelector("#count-FAILED .value")).getText().equals("1"));

                filter(browser, "DEAD", List.of(dead));
                filter(browser, "FAILED", List.of(failed));
                filter(browser, "FAILED,DEAD", List.of(failed, dead));
                choose(browser, "filter-channel", "FHIR");
                wait.until(d -> rows(d).isEmpty() && d.findElement(By.cssSelector("#messages tbody")).getText()
                        .contains("No messages match"));
                choose(browser, "filter-channel", "");
                filter(browser, "DEAD", List.of(dead));

                openDetail(browser, wait, dead, "DEAD");
                String detail = browser.findElement(By.id("detail")).getText();
                assertTrue(detail.contains("MSA|AA|CONSOLE0"), "the ACK sent: " + detail);
                assertTrue(detail.contains("SEND FAILED") && detail.contains("DEAD"), "timeline: " + detail);
                assertTrue(browser.findElement(By.id("detail-result")).getText().contains("hidden: needs "
                        + "system/Observation.read"), "the result is clinical: hidden from an operations token");
                assertFalse(browser.getPageSource().contains(recordId), "the ECG record id is clinical too");
                assertNoPatientName(browser);

                browser.findElement(By.id("replay-one")).click();
                wait.until(d -> d.findElement(By.id("notice")).getText().contains("Replay needs a token with "
                        + "tamer/admin"));
                assertEquals("DEAD", admin.state(dead), "no replay without tamer/admin");

                // the docs' console command: operations, admin and Observation read in the address
                // opened in the same tab: only the fragment changes, the page takes the new token without a reload
                browser.get(consoleAddress(work, gateway.httpPort));
                wait.until(d -> d.findElement(By.id("notice")).getText().contains("Token set for this tab")
                        && !d.getCurrentUrl().contains("token="));
                filter(browser, "DEAD", List.of(dead));
                openDetail(browser, wait, dead, "DEAD");
                wait.until(d -> d.findElements(By.cssSelector("#detail-probabilities tr")).size() > 1);
                String result = browser.findElement(By.id("detail-result")).getText();
                assertTrue(result.contains("interpretation") && result.contains("findings")
                        && result.contains("tamer-ptbxl-default"), "the result summary: " + result);
                assertTrue(browser.findElement(By.id("detail-fields")).getText().contains(recordId),
                        "the ECG record id, for a token that may read Observations");
                assertNoPatientName(browser);

                fhir.start();
                browser.findElement(By.id("replay-one")).click();
                wait.until(d -> d.findElement(By.id("notice")).getText().contains("Replayed 1 of 1"));
                ProgressWait.until("the replayed message delivered", () -> admin.state(dead).equals("DELIVERED"),
                        db::progress, Duration.ofMinutes(3));
                String after = admin.get("/admin/messages/" + dead);
                assertTrue(after.contains("\"outcome\":\"success\""), "a successful delivery attempt: " + after);
                assertEquals("FAILED", admin.state(failed), "only the message clicked was replayed");

                // the list without a filter, the detail refreshed by the page itself: the console's screenshot
                choose(browser, "filter-state", "");
                wait.until(d -> rows(d).size() == 2);
                wait.until(d -> d.findElement(By.id("detail-state")).getText().equals("DELIVERED"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-timeline"),
                        "DELIVERED"));
                assertNoPatientName(browser);
                screenshot(browser, "console.png");
            } catch (RuntimeException | AssertionError e) {
                try {
                    screenshot(browser, "console-failure.png"); // what the page showed, for the one who reads this
                } catch (java.io.IOException | RuntimeException s) {
                    e.addSuppressed(s);
                }
                throw e;
            } finally {
                browser.quit();
                fhir.close();
            }
            String log = Files.readString(Path.of("target", "it-logs", "console.log"));
            assertFalse(log.contains(FAMILY) || log.contains(GIVEN), "a patient name in the gateway's log");
        }
    }

    /** Fails, naming the packages, when Debian's chromium or its driver is missing (CI installs both). */
    static void requireBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install -y --no-install-recommends chromium chromium-driver (.ci/run does this)");
        }
    }

    /** Headless chromium through its own chromedriver (no driver or browser download). */
    static WebDriver browser(Path profile) throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(logs.resolve("chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--window-size=1360,1000", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(PAGE_WAIT).scriptTimeout(PAGE_WAIT);
        return driver;
    }

    /** Selects {@code state} in the list's filter and waits for exactly {@code ids} (newest first) to be listed. */
    private static void filter(WebDriver browser, String state, List<Long> ids) {
        choose(browser, "filter-state", state);
        List<Long> expected = ids.stream().sorted((a, b) -> Long.compare(b, a)).toList();
        pageWait(browser).withMessage(() -> "the list filtered by " + state + " shows " + expected).until(d -> {
            List<WebElement> rows = rows(d);
            return rows.stream().map(r -> Long.parseLong(r.getDomAttribute("data-id"))).toList().equals(expected)
                    && rows.stream().allMatch(r -> state.contains(r.getDomAttribute("data-state")));
        });
    }

    /**
     * A wait on the page, polling every 200 ms for at most {@link #PAGE_WAIT}. The page re-renders its rows on every
     * refresh (every 5 s too), so an element found a moment ago may be gone: that is polled again, not an error.
     */
    private static WebDriverWait pageWait(WebDriver browser) {
        WebDriverWait wait = new WebDriverWait(browser, PAGE_WAIT, Duration.ofMillis(200));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Selects the option whose value (its text when it has no value attribute) is {@code value}. */
    private static void choose(WebDriver browser, String selectId, String value) {
        Select select = new Select(browser.findElement(By.id(selectId)));
        List<WebElement> options = select.getOptions();
        for (int i = 0; i < options.size(); i++) {
            if (value.equals(options.get(i).getDomProperty("value"))) {
                select.selectByIndex(i);
                return;
            }
        }
        fail("no option " + value + " in #" + selectId);
    }

    private static void openDetail(WebDriver browser, WebDriverWait wait, long id, String state) {
        By row = By.cssSelector("#messages tr[data-id='" + id + "']");
        wait.until(d -> {
            d.findElement(row).click();
            return true;
        });
        wait.until(d -> d.findElement(By.id("detail")).isDisplayed()
                && d.findElement(By.id("detail-state")).getText().equals(state)
                && d.findElement(By.id("detail-id")).getText().startsWith(id + " "));
    }

    private static List<WebElement> rows(WebDriver browser) {
        return browser.findElements(By.cssSelector("#messages tbody tr[data-id]"));
    }

    private static void assertNoPatientName(WebDriver browser) {
        String page = browser.getPageSource();
        assertFalse(page.contains(FAMILY) || page.contains(GIVEN), "a patient name in the console's page");
    }

    /** The whole page, as tall as its content, in target/it-logs. */
    private static void screenshot(WebDriver browser, String name) throws java.io.IOException {
        for (int i = 0; i < 3; i++) { // a taller window can lay the page out anew: measure again
            Number height = (Number) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollHeight + (window.outerHeight - window.innerHeight);");
            browser.manage().window().setSize(new Dimension(1360, Math.min(4000, height.intValue() + 20)));
        }
        Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "it-logs", name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** PID-5 (patient name) added to a message built from a PTB-XL record, which carries only the patient id. */
    private static String withPatientName(String message) {
        String named = message.replaceFirst("(PID\\|1\\|\\|[^\r]*)\r", "$1||" + FAMILY + "^" + GIVEN + "\r");
        assertTrue(named.contains(FAMILY), "the message has a PID segment");
        return named;
    }

    /** A token from bin/tamer-token, as a developer gets one. */
    static String token(Path work, String scopes) throws Exception {
        DocumentedCommands.Run run = DocumentedCommands.bash("bin/tamer-token --scope '" + scopes + "'",
                DocumentedCommands.ROOT, Map.of("TAMER_WORK_DIR", work.toString()));
        assertEquals(0, run.exitCode(), run.err());
        return run.out().strip();
    }

    /** What the console command of docs/gateway.md prints, for the gateway under test. */
    private static String consoleAddress(Path work, int httpPort) throws Exception {
        List<DocumentedCommands.Command> commands = DocumentedCommands.of("docs/gateway.md").stream()
                .filter(c -> c.section().equals("Operator console")).toList();
        assertEquals(1, commands.size(), "docs/gateway.md's operator console section has one command: " + commands);
        DocumentedCommands.Run run = DocumentedCommands.bash(DocumentedCommands.localised(commands.get(0).text(),
                httpPort), DocumentedCommands.ROOT, Map.of("TAMER_WORK_DIR", work.toString()));
        assertEquals(0, run.exitCode(), run.err());
        String address = run.out().strip();
        assertTrue(address.startsWith("http://127.0.0.1:" + httpPort + "/console/#token=ey"), address);
        return address;
    }

    private static long count(Postgres db, String where) {
        try {
            return db.count(where);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The admin API, read with a token of its own. */
    private record AdminApi(String base, String token) {
        String get(String path) {
            try {
                HttpResponse<String> r = GatewayProcess.httpClient().send(HttpRequest.newBuilder(URI.create(base
                                + path)).header("Authorization", "Bearer " + token).header("Accept", "application/json")
                        .timeout(GatewayProcess.HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), path + ": " + r.body());
                return r.body();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("GET " + path + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        String state(long id) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"state\":\"([A-Z]+)\"")
                    .matcher(get("/admin/messages/" + id));
            assertTrue(m.find(), "a state in message " + id);
            return m.group(1);
        }
    }
}
