package io.meterflow.api;

import static io.meterflow.api.ConsoleData.A;
import static io.meterflow.api.ConsoleData.B;
import static io.meterflow.api.ConsoleData.C;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestFiles;
import io.meterflow.app.MeterflowApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real headless browser (Debian's Chromium through its chromedriver) against the
 * real engine with API keys set, on files with figures known by hand ({@link ConsoleData}) that
 * went through the real inbox: a year of minute data for one meter (a file per day), a second meter, 97 more small
 * ones, a rejected file. Each page shows the right values; an export started from the form gives
 * the expected file; a failed scheduled run and a rejected file show their reasons. Screenshots of
 * each page go to target/console-screenshots; the first paint of the meters page and the drawing
 * of a year chart are measured with performance marks. Skipped, saying so, where Chromium or
 * chromedriver is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18502",
            "meterflow.api.keys=browser-key",
            "meterflow.inbox=target/it-console-browser/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-console-browser/db/meterflow",
            "meterflow.export.dir=target/it-console-browser/exports",
            "meterflow.outbox=target/it-console-browser/outbox",
            "meterflow.exports-file=target/it-console-browser/exports.yaml",
            "meterflow.meters-file=config/meters.yaml",
            "meterflow.ingest.poll-delay-ms=100"
        })
class ConsoleBrowserTest {

    static final Path ROOT = Path.of("target/it-console-browser");
    static final Path INBOX = ROOT.resolve("inbox");
    static final Path DOWNLOADS = ROOT.resolve("downloads").toAbsolutePath();
    static final Path SHOTS = Path.of("target/console-screenshots");
    static final String BASE = "http://127.0.0.1:18502";
    static final String KEY = "browser-key";
    static final int OTHER_METERS = 97;
    static final Path CHROMIUM = Path.of(System.getProperty("meterflow.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER =
            Path.of(System.getProperty("meterflow.test.chromedriver", "/usr/bin/chromedriver"));

    ChromeDriver browser;

    @BeforeAll
    void data() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests skipped: " + CHROMIUM + " or " + CHROMEDRIVER + " is not installed"
                        + " (apt-get install -y chromium chromium-driver)");
        TestFiles.deleteTree(ROOT);
        Files.createDirectories(ROOT.resolve("outbox"));
        Files.createDirectories(DOWNLOADS);
        Files.createDirectories(SHOTS);
        ConsoleData.exportDefinitions(ROOT);
        ConsoleData.meterA(INBOX, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31), false);
        ConsoleData.meterB(INBOX, LocalDate.of(2024, 12, 17), LocalDate.of(2024, 12, 21));
        for (int i = 1; i <= OTHER_METERS; i++) {
            StringBuilder csv = new StringBuilder("timestamp,com_ap\n");
            for (int hour = 0; hour < 24; hour++) {
                csv.append(String.format("2024-12-31T%02d:00:00-05:00,%d%n", hour, i));
            }
            ConsoleData.write(INBOX.resolve(String.format("site-meter-%03d", i)).resolve("day.csv"), csv.toString());
        }
        ConsoleData.rejected(INBOX);
    }

    void start() {
        if (browser != null) {
            return;
        }
        // every file ingested (366 days of A, B, the small meters) and the broken one rejected
        await().atMost(Duration.ofMinutes(4))
                .alias("the data set ingested")
                .until(() -> count(INBOX.resolve(".done")) == 366 + 1 + OTHER_METERS
                        && Files.exists(INBOX.resolve(".error").resolve(C).resolve("fillet-broken.csv.reason")));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1440,900",
                "--user-data-dir=" + ROOT.resolve("chromium-profile").toAbsolutePath());
        options.setExperimentalOption(
                "prefs",
                Map.of("download.default_directory", DOWNLOADS.toString(), "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.executeCdpCommand(
                "Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", DOWNLOADS.toString()));
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    // --- helpers ------------------------------------------------------------------------------

    private void open(String hash) {
        browser.get(BASE + "/" + hash);
    }

    private WebElement waitFor(String css) {
        return await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.cssSelector(css)), e -> e.isDisplayed());
    }

    /** An element in the page, shown or not (a closed details element hides its table). */
    private WebElement waitPresent(String css) {
        return await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.cssSelector(css)), e -> true);
    }

    private String text(String css) {
        return waitFor(css).getText().trim();
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** The start time (ms since navigation) of a performance mark, once it is set. */
    private double mark(String name) {
        return await().atMost(Duration.ofSeconds(90))
                .until(
                        () -> ((Number) js(
                                        "const m = performance.getEntriesByName(arguments[0]); return m.length ? m[m.length - 1].startTime : -1;",
                                        name))
                                .doubleValue(),
                        t -> t >= 0);
    }

    private double measure(String name) {
        return ((Number) js(
                        "const m = performance.getEntriesByName(arguments[0]); return m[m.length - 1].duration;", name))
                .doubleValue();
    }

    private void screenshot(String name) throws IOException {
        Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private void setValue(String css, String value) {
        js(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                waitFor(css),
                value);
    }

    private static void log(String figure) {
        System.out.println("console figure: " + figure);
    }

    // --- the pages ----------------------------------------------------------------------------

    @Test
    @Order(1)
    void the_key_is_asked_once_and_the_meters_page_lists_every_meter_fast() throws Exception {
        start();
        open("#/meters");
        WebElement input = waitFor("#key-input");
        input.sendKeys(KEY);
        browser.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        waitFor("#meters tbody tr[data-meter='" + A + "']");
        assertEquals(KEY, js("return sessionStorage.getItem('meterflow.apiKey')"));

        // a reload keeps the key for the session: no dialog; the first paint is measured from navigation
        browser.navigate().refresh();
        double firstPaint = mark("mf:meters:rendered");
        log(String.format("meters page with %d meters painted %.0f ms after navigation", 6 + OTHER_METERS, firstPaint));
        assertTrue(firstPaint < 3000, "first paint of the meters page: " + firstPaint + " ms (target 1000 ms)");
        assertEquals(false, js("return document.getElementById('key-dialog').open"));
        List<WebElement> rows = browser.findElements(By.cssSelector("#meters tbody tr[data-meter]"));
        assertEquals(6 + OTHER_METERS, rows.size());

        WebElement a = browser.findElement(By.cssSelector("#meters tbody tr[data-meter='" + A + "']"));
        List<WebElement> cells = a.findElements(By.tagName("td"));
        assertEquals("AN53111387-E-", cells.get(0).getText());
        assertEquals("Foster Farms Cherry Ave", cells.get(1).getText());
        assertEquals("com_ap, pf, pos_ae, neg_ae", cells.get(3).getText());
        assertEquals("2024-01-01 00:00", cells.get(4).getText());
        assertEquals("2024-12-31 23:59", cells.get(5).getText());
        // 8784 hours of 2024, 3 of them missing
        assertEquals("99.97 %", cells.get(7).getText());

        // the coverage heatmap of the last 30 days shows the three missing hours of the gap day
        a.findElement(By.cssSelector("button[aria-expanded]")).click();
        WebElement missing = waitFor("table.grid[data-meter='" + A + "'] td[data-date='2024-12-20'][data-hour='3']");
        assertEquals("c-missing", missing.getAttribute("class"));
        assertEquals("2024-12-20 03:00 no data", missing.getAttribute("aria-label"));
        assertEquals(
                3L, js("return document.querySelectorAll(\"table.grid[data-meter='" + A + "'] td.c-missing\").length"));
        assertEquals(
                "c-full",
                browser.findElement(By.cssSelector("td[data-date='2024-12-20'][data-hour='6']"))
                        .getAttribute("class"));
        js("arguments[0].scrollIntoView({block: 'start'})", a);
        screenshot("meters");
    }

    @Test
    @Order(2)
    void the_meter_view_shows_a_known_days_energy_peak_and_load_factor() throws Exception {
        start();
        open("#/meter/" + A + "?start=2024-12-18&end=2024-12-20&signals=com_ap,pf");
        waitPresent("#daily-table tr[data-date='2024-12-20']");
        assertEquals("1,079.75", text("#kpi-import .value").replace(" kWh", ""));
        assertEquals("72", text("#kpi-export .value").replace(" kWh", ""));
        assertEquals("95.5", text("#kpi-peak .value").replace(" kW", ""));
        assertEquals("at 2024-12-18 14:37", text("#kpi-peak .note"));
        // the reset day counts from the lowest reading after the reset; the gap day counts across the gap
        js("document.querySelector('#energy details').open = true");
        assertEquals("359.75", text("#daily-table tr[data-date='2024-12-19'] td.import"));
        assertEquals("360", text("#daily-table tr[data-date='2024-12-20'] td.import"));
        assertEquals("24", text("#daily-table tr[data-date='2024-12-20'] td.export"));
        assertEquals(
                2, browser.findElements(By.cssSelector("#charts figure.chart")).size());
        waitFor("#meter-coverage table.grid td[data-date='2024-12-20'][data-hour='4'].c-missing");
        js("document.querySelector('#energy details').open = false");
        screenshot("meter-view");

        // one day: load factor 20.0524 / 95.5
        open("#/meter/" + A + "?start=2024-12-18&end=2024-12-18&signals=com_ap");
        waitPresent("#daily-table tr[data-date='2024-12-18']");
        assertEquals("0.21", text("#kpi-load-factor .value"));
        assertEquals("20.05", text("#kpi-mean .value").replace(" kW", ""));
    }

    @Test
    @Order(3)
    void a_year_chart_is_drawn_fast_and_zooming_fetches_finer_data() throws Exception {
        start();
        open("#/meter/" + A + "?start=2024-01-01&end=2024-12-31&signals=com_ap");
        mark("mf:chart:drawn");
        double total = measure("mf:chart:request-to-drawn");
        double draw = measure("mf:chart:data-to-drawn");
        log(String.format(
                "year chart (526,860 minutes of com_ap): request to drawn %.0f ms, data to drawn %.0f ms",
                total, draw));
        assertTrue(draw < 1000, "a year chart drawn from its data in " + draw + " ms (target 1000 ms)");
        assertTrue(total < 10_000, "a year chart requested and drawn in " + total + " ms");
        String caption = text("#charts figcaption");
        // the minutes of 2024 but the 3 missing hours
        assertTrue(caption.startsWith("com_ap (" + (366 * 1440 - 180) + " stored points"), caption);
        assertEquals(
                366,
                browser.findElements(By.cssSelector("#daily-table tbody tr")).size());
        screenshot("meter-year");

        // drag over about one day of the year: the points of that range are fetched, finer
        WebElement over = waitFor("#charts .u-over");
        int width = over.getSize().getWidth();
        new Actions(browser)
                .moveToElement(over, width / 4 - width / 2, 0)
                .clickAndHold()
                .moveByOffset(Math.max(4, width / 200), 0)
                .release()
                .perform();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> text("#charts figcaption").contains("zoomed"));
        String zoomed = text("#charts figcaption");
        long stored = Long.parseLong(zoomed.replaceAll("^com_ap \\((\\d+) stored points.*$", "$1"));
        assertTrue(stored > 100 && stored < 20_000, zoomed);
        assertTrue(text("#zoom-range").startsWith("Zoomed: 2024-0"), text("#zoom-range"));
    }

    @Test
    @Order(4)
    void compare_overlays_two_meters_and_groups_their_daily_energy() throws Exception {
        start();
        open("#/compare?meters=" + A + "," + B + "&signal=com_ap&start=2024-12-18&end=2024-12-20");
        waitFor("#compare-table tr[data-meter='" + B + "']");
        assertEquals("432", text("#compare-table tr[data-meter='" + B + "'] td.import"));
        assertEquals("1,079.75", text("#compare-table tr[data-meter='" + A + "'] td.import"));
        assertTrue(text("#compare-out figcaption").startsWith("com_ap, 2 meters overlaid"));
        assertEquals(6L, js("return document.querySelectorAll('#compare-out svg rect').length"), "3 days x 2 meters");
        screenshot("compare");
    }

    @Test
    @Order(5)
    void an_export_from_the_form_downloads_the_expected_file_and_a_job_shows_its_progress() throws Exception {
        start();
        open("#/export");
        Select meters = new Select(waitFor("#export-meters"));
        meters.deselectAll();
        meters.selectByValue(A);
        setValue("#export-start", "2024-12-18T00:00:00");
        setValue("#export-end", "2024-12-18T23:59:59");
        new Select(waitFor("#export-resolution")).selectByValue("1hr");
        browser.findElement(By.id("export-download")).click();
        Path file = DOWNLOADS.resolve("AN53111387-E-1hrRES_24CLP_241218.0000-241218.2359.csv");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(file) && Files.size(file) > 0);
        List<String> lines = Files.readAllLines(file);
        assertEquals("timestamp,com_ap,pf,pos_ae,pos_ae_delta,neg_ae,neg_ae_delta", lines.get(0));
        assertEquals(25, lines.size());
        // 14:00: 59 minutes at 20 kW and the peak minute at 95.5 kW; 15 kWh imported that hour
        String at14 = lines.get(15);
        assertTrue(at14.startsWith("2024-12-18T14:00:00-05:00,21.2583333"), at14);
        assertTrue(at14.contains(",15.0,"), at14);
        assertTrue(text("#export-done").startsWith("Downloaded AN53111387-E-1hrRES_24CLP"));

        // an export job of the whole year at 15 minutes: progress, then a download button
        setValue("#export-start", "2024-01-01T00:00:00");
        setValue("#export-end", "2024-12-31T23:59:59");
        new Select(waitFor("#export-resolution")).selectByValue("15min");
        browser.findElement(By.id("export-job")).click();
        waitFor("#job-progress");
        await().atMost(Duration.ofSeconds(120)).until(() -> text("#job-status").equals("completed, 100 %"));
        assertEquals("100", waitFor("#job-progress").getAttribute("value"));
        screenshot("export");
        waitFor("#job-file").click();
        Path yearFile = DOWNLOADS.resolve("AN53111387-E-15minRES_35136CLP_240101.0000-241231.2359.csv");
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        Files.exists(yearFile) && Files.readAllLines(yearFile).size() == 35_137);
        waitFor("#jobs-table tbody tr");
        assertTrue(text("#jobs-table tbody tr").contains("completed"), text("#jobs-table tbody tr"));
    }

    @Test
    @Order(6)
    void schedules_run_a_backfill_with_its_coverage_and_show_why_a_run_failed() throws Exception {
        start();
        open("#/schedules");
        String daily = "section[data-definition='chiller-daily'] ";
        setValue("#backfill-start-chiller-daily", "2024-12-19");
        setValue("#backfill-end-chiller-daily", "2024-12-20");
        browser.findElement(By.cssSelector(daily + "form[data-backfill] button"))
                .click();
        WebElement gap = waitFor(daily + "tr[data-window='2024-12-20T00:00:00-05:00']");
        assertEquals("completed", gap.findElement(By.cssSelector("td.status")).getText());
        assertEquals("87.5 %", gap.findElement(By.cssSelector("td.coverage")).getText());
        assertEquals("24", gap.findElements(By.tagName("td")).get(3).getText());
        assertEquals(
                "100 %",
                browser.findElement(By.cssSelector(daily + "tr[data-window='2024-12-19T00:00:00-05:00'] td.coverage"))
                        .getText());
        assertTrue(text(daily + ".run-message").contains("2 run(s), 0 failed"));

        String blocked = "section[data-definition='chiller-blocked'] ";
        setValue("#backfill-start-chiller-blocked", "2024-12-20");
        setValue("#backfill-end-chiller-blocked", "2024-12-20");
        browser.findElement(By.cssSelector(blocked + "form[data-backfill] button"))
                .click();
        WebElement failed = waitFor(blocked + "tr[data-window='2024-12-20T00:00:00-05:00']");
        assertEquals("failed", failed.findElement(By.cssSelector("td.status")).getText());
        String reason = failed.findElement(By.cssSelector("td.reason")).getText();
        assertTrue(reason.contains("blocked"), reason);
        assertTrue(text(blocked + ".run-message").contains("1 failed"));
        js("arguments[0].scrollIntoView({block: 'center'})", failed);
        screenshot("schedules");
    }

    @Test
    @Order(7)
    void activity_shows_a_rejected_files_reason_requeues_it_once_fixed_and_lists_the_engines() throws Exception {
        start();
        open("#/activity");
        String path = C + "/fillet-broken.csv";
        WebElement row = waitFor("#rejected-table tr[data-path='" + path + "']");
        assertEquals("rejected", row.findElement(By.cssSelector(".status")).getText());
        assertEquals(
                "no data rows after the header",
                row.findElement(By.cssSelector(".reason")).getText());
        assertTrue(text("#engines-table tbody").contains("this engine"));
        assertTrue(text("#mqtt-status").startsWith("off"));
        screenshot("activity");

        Path inError = INBOX.resolve(".error").resolve(C).resolve("fillet-broken.csv");
        Files.writeString(inError, ConsoleData.HEADER + "2024-12-22T00:00:00-05:00,20.0,0.9,9999.0,600.0\n");
        row.findElement(By.cssSelector("button[data-requeue]")).click();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> text("#requeue-message").contains("moved back into the inbox"));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(INBOX.resolve(".done").resolve(C).resolve("fillet-broken.csv")));
        open("#/activity");
        new Select(waitFor("#files-status")).selectByValue("ingested");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> text("#files-table tr[data-path='" + path
                        + "'] .status")
                .equals("ingested"));
    }
}
