package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.time.FrameRate;
import org.kinora.samples.ShotcutSampleProject;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web panel in a real browser: {@code kinora serve} as a real process (as the {@code kinora} script starts it), and
 * Debian's headless Chromium driven by Selenium through the page as an editor would use it: open a sample Shotcut
 * project, pick a clip, set the style transfer's parameters (an out-of-range value is refused inline), preview a frame,
 * render, watch the progress reach 100%, apply, check the project file on disk, undo. Screenshots go to
 * {@code target/panel-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PanelBrowserTest {

    private static final Pattern PANEL = Pattern.compile("panel: (http://\\S+/)");
    private static final Path SHOTS = Path.of("target", "panel-screenshots");
    private static final int FRAMES = 12;
    /** Long enough (100 s) that a render of it is surely still running when the test cancels it, on a fast machine too. */
    private static final int LONG = 2500;
    /** The model store the inference module's tests filled (set for the tests by the pom): generate needs its text encoder. */
    private static final Path MODELS = Path.of(System.getProperty("kinora.models",
            System.getProperty("user.home") + "/.cache/kinora/test-models"));

    @TempDir
    static Path dir;

    static Process serve;
    static String panel;
    static Path project;
    static byte[] original;
    static WebDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        Path chromium = Files.isExecutable(Path.of("/usr/lib/chromium/chromium")) ? Path.of("/usr/lib/chromium/chromium")
                : Path.of("/usr/bin/chromium");
        Path driver = Path.of("/usr/bin/chromedriver");
        assertTrue(Files.isExecutable(chromium) && Files.isExecutable(driver),
                "the panel's browser tests need Debian's chromium and chromium-driver (./run-tests installs them): apt-get install chromium chromium-driver");
        Files.createDirectories(SHOTS);

        // two short clips made by the ffmpeg CLI (not under test here), laid out as a Shotcut project
        Path media = Files.createDirectories(dir.resolve("media"));
        List<ShotcutSampleProject.Item> items = new ArrayList<>();
        String[] sources = {"smptebars", "testsrc2"};
        // V1:1 long enough to be cancelled while it renders, V1:2 short
        int[] lengths = {LONG, FRAMES};
        for (int i = 0; i < 2; i++) {
            Path clip = media.resolve("clip" + (i + 1) + ".mp4");
            Tools.run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", sources[i] + "=size=320x180:rate=25", "-frames:v",
                    Integer.toString(lengths[i]), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip.toString());
            items.add(new ShotcutSampleProject.Item(clip, lengths[i]));
        }
        project = ShotcutSampleProject.write(dir.resolve("panel.mlt"), 320, 180, FrameRate.FPS_25, items);
        original = Files.readAllBytes(project);

        serve = KinoraServe.start(dir, MODELS, "-Dkinora.config=" + dir.resolve("config"));
        Matcher shown = KinoraServe.await(serve, dir, PANEL);
        panel = shown == null ? null : shown.group(1);
        assertTrue(panel != null, "kinora serve did not say where the panel is: " + logs());
        assertTrue(panel.startsWith("http://127.0.0.1:"), panel);
        // one address: the panel at /, the models' protocol under /v2
        Matcher models = Pattern.compile("serving \\d+ models on (http://\\S+)/v2").matcher(Files.readString(dir.resolve("stdout.txt")));
        assertTrue(models.find(), logs());
        assertEquals(models.group(1) + "/", panel);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // the network is closed and nothing may download: no first-run, sync, component updates or QUIC probes
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile()).build();
        browser = new ChromeDriver(service, options);
        wait = patient(120);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (serve != null && serve.isAlive()) {
            serve.destroyForcibly();
        }
    }

    /**
     * A wait that tries again when an element it read was replaced meanwhile: a job row's head is remade with each
     * progress event, several times a second.
     */
    private static WebDriverWait patient(int seconds) {
        WebDriverWait w = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return w;
    }

    private static String logs() throws Exception {
        return KinoraServe.logs(dir);
    }

    private static void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static WebElement find(String css) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** Whether the picture has loaded pixels (a broken or missing picture has no natural width). */
    private static boolean loaded(WebElement img) {
        return Boolean.TRUE.equals(js("return arguments[0].complete && arguments[0].naturalWidth > 0", img));
    }

    private static BufferedImage picture(String url) throws Exception {
        try (var in = URI.create(url).toURL().openStream()) {
            return ImageIO.read(in);
        }
    }

    private static double meanDiff(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    sum += Math.abs((p >> s & 0xff) - (q >> s & 0xff));
                }
            }
        }
        return (double) sum / (a.getWidth() * a.getHeight() * 3);
    }

    private static WebElement job() {
        return find("#jobs li.job");
    }

    /** Clicks Render and waits for the new job's row (the newest, first in the list). */
    private static void startJob() {
        int before = browser.findElements(By.cssSelector("#jobs li.job")).size();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("render"))).click();
        wait.until(d -> d.findElements(By.cssSelector("#jobs li.job")).size() == before + 1);
    }

    /** Frames a job has done, as the panel's API tells (not the row, whose events are spaced out). */
    private static long framesDone(String id) {
        Object done = ((JavascriptExecutor) browser).executeAsyncScript("const cb = arguments[arguments.length - 1];"
                + " fetch('/api/jobs').then(r => r.json()).then(b => cb((b.jobs || b).find(j => j.id === arguments[0]).done))"
                + ".catch(e => cb('error: ' + e));", id);
        assertTrue(done instanceof Number, "GET /api/jobs: " + done);
        return ((Number) done).longValue();
    }

    /** Waits until the newest job is in state {@code wanted}; a failed job fails the test with its row's text. */
    private static void awaitJob(String what, String wanted) {
        wait.until(d -> {
            String s = job().getAttribute("data-state");
            if ("failed".equals(s)) {
                throw new AssertionError(what + " failed: " + job().getText());
            }
            return wanted.equals(s);
        });
    }

    @Test
    @Order(1)
    void openPickStylePreviewRenderApplyAndUndo() throws Exception {
        browser.get(panel);
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "connected"));
        find("#effect-style-transfer");

        // open the project by its path; its clips show with thumbnails
        WebElement path = find("#project-path");
        path.clear();
        path.sendKeys(project.toString());
        find("#open-project").click();
        WebElement clip2 = find(".clip[data-ref='V1:2']");
        find(".clip[data-ref='V1:1']");
        wait.until(d -> loaded(clip2.findElement(By.tagName("img"))));
        assertTrue(find("#project-name").getText().startsWith("panel.mlt (shotcut, 320x180"), find("#project-name").getText());
        assertTrue(find("#recent").getText().contains(project.toString()), "the project is in the recent list");

        clip2.click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("selected-clip"), "V1:2"));
        assertTrue(clip2.getAttribute("class").contains("selected"));

        // the form comes from the declarations: style (text), strength (0..1), temporal (switch)
        find("#effect-style-transfer").click();
        WebElement strength = find("#param-strength");
        assertEquals("1", strength.getAttribute("value"), "the declared default");
        assertTrue(find("label[for='param-strength']").getText().contains("0..1"));
        find("#param-temporal");
        strength.clear();
        strength.sendKeys("1.5");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("param-strength-error"), "out of range 0..1"));
        assertFalse(find("#render").isEnabled(), "an out-of-range value cannot be rendered");
        strength.clear();
        strength.sendKeys("0.9");
        WebElement style = find("#param-style");
        style.clear();
        style.sendKeys("no-such-style");
        // the effect's own check runs on the server: an unknown style is named
        wait.until(d -> !d.findElement(By.id("param-style-error")).getText().isEmpty() || d.findElement(By.id("form-error")).isDisplayed());
        shot("1-invalid-style");
        style.clear();
        style.sendKeys("cartoon");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("render")));
        assertEquals("", find("#param-strength-error").getText());

        // one frame before/after, project untouched
        WebElement at = find("#preview-at");
        at.clear();
        at.sendKeys("0.2");
        find("#preview").click();
        WebElement after = find("#after");
        wait.until(d -> loaded(after) && loaded(d.findElement(By.id("before"))));
        assertNotEquals(find("#before").getAttribute("src"), after.getAttribute("src"));
        // the after picture is the styled frame: same size as the before one, visibly different
        BufferedImage b = picture(find("#before").getAttribute("src"));
        BufferedImage a = picture(after.getAttribute("src"));
        assertEquals(320, b.getWidth());
        assertEquals(b.getWidth(), a.getWidth());
        assertEquals(b.getHeight(), a.getHeight());
        double diff = meanDiff(a, b);
        assertTrue(diff > 4, "the cartoon preview differs from the source frame (mean " + diff + " levels)");
        assertArrayEquals(original, Files.readAllBytes(project), "a preview does not touch the project");
        shot("2-preview");

        // render as a job: live progress over server-sent events, up to 100%
        find("#render").click();
        WebElement job = job();
        List<String> percents = new ArrayList<>();
        wait.until(d -> {
            String p = job().findElement(By.className("percent")).getText();
            if (percents.isEmpty() || !percents.get(percents.size() - 1).equals(p)) {
                percents.add(p);
            }
            String s = job().getAttribute("data-state");
            if ("failed".equals(s)) {
                throw new AssertionError("job failed: " + job().getText());
            }
            return "rendered".equals(s);
        });
        assertEquals("100%", percents.get(percents.size() - 1), "progress seen: " + percents);
        assertTrue(job.findElement(By.cssSelector("progress")).getAttribute("value").equals(Integer.toString(FRAMES)));
        wait.until(d -> loaded(job().findElement(By.className("still"))));
        assertArrayEquals(original, Files.readAllBytes(project), "rendering does not touch the project");
        shot("3-rendered");

        // apply: the project on disk now plays the result, with provenance; the page says what changed
        job().findElement(By.className("apply")).click();
        wait.until(d -> "applied".equals(job().getAttribute("data-state")));
        String changes = job().findElement(By.className("changes")).getText();
        assertTrue(changes.contains("V1:2 now plays kinora-media/clip2-style-transfer-"), changes);
        String written = Files.readString(project);
        assertTrue(written.contains("<property name=\"kinora:effect\">style-transfer</property>"), written);
        assertTrue(written.contains("&quot;style&quot;:&quot;cartoon&quot;") || written.contains("\"style\":\"cartoon\""), written);
        Matcher m = Pattern.compile("kinora-media/(clip2-style-transfer-[0-9a-f]+\\.mp4)").matcher(written);
        assertTrue(m.find(), written);
        Path result = dir.resolve("kinora-media").resolve(m.group(1));
        assertTrue(Files.size(result) > 0, result.toString());
        String frames = Tools.run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=nb_read_frames", "-of", "csv=p=0", result.toString()).strip();
        assertEquals(Integer.toString(FRAMES), frames, "the result has the clip's frames");
        // the original stays in the bin
        assertTrue(written.contains("media/clip2.mp4"), written);
        // the timeline shows it: V1:2 now plays the result
        wait.until(d -> d.findElement(By.cssSelector(".clip[data-ref='V1:2']")).getAttribute("title").contains("clip2-style-transfer-"));
        shot("4-applied");

        // undo puts back the project as it was
        job().findElement(By.className("undo")).click();
        wait.until(d -> "undone".equals(job().getAttribute("data-state")));
        assertArrayEquals(original, Files.readAllBytes(project), "undo restored the project as it was");
        assertTrue(Files.exists(result), "undo keeps the rendered media");
        shot("5-undone");
    }

    @Test
    @Order(2)
    void cancellingAJobLeavesTheProjectUntouched() throws Exception {
        byte[] before = Files.readAllBytes(project);
        find(".clip[data-ref='V1:1']").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("selected-clip"), "V1:1"));
        // a running job: cancelled once its frames flow, it stops, and its partial media is removed
        startJob();
        WebElement running = job();
        String runningId = running.getAttribute("data-id");
        patient(120).withMessage(() -> "the job did not run: " + job().getText()).until(d -> "running".equals(job().getAttribute("data-state"))
                && !job().findElement(By.className("percent")).getText().equals("0%"));
        // paused, it holds after its current batch: no frame more in three seconds; resumed, its frames flow again
        job().findElement(By.className("pause")).click();
        // (the row's head is remade with each event: its attributes and buttons are what stay)
        wait.until(d -> "true".equals(job().getAttribute("data-paused")) && "Resume".equals(job().findElement(By.className("pause")).getText()));
        Thread.sleep(1500);
        long held = framesDone(runningId);
        Thread.sleep(3000);
        assertEquals(held, framesDone(runningId), "a paused job must not render: " + job().getText());
        assertEquals("running", job().getAttribute("data-state"));
        shot("6a-job-paused");
        job().findElement(By.className("pause")).click();
        wait.until(d -> framesDone(runningId) > held);
        assertEquals("false", job().getAttribute("data-paused"));
        job().findElement(By.className("cancel")).click();
        patient(120).withMessage(() -> "not cancelled: " + job().getText() + "; message: "
                + find("#message").getText()).until(d -> "cancelled".equals(job().getAttribute("data-state")));
        assertArrayEquals(before, Files.readAllBytes(project), "a job cancelled while it ran changes nothing");
        try (var files = Files.list(dir.resolve("kinora-media"))) {
            List<String> left = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("clip1-")).toList();
            assertEquals(List.of(), left, "no partial media of the cancelled job");
        }
        // pause the queue so the job is surely queued when cancelled, then resume
        find("#pause").click();
        wait.until(ExpectedConditions.textToBe(By.id("pause"), "Resume queue"));
        find(".clip[data-ref='V1:1']").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("selected-clip"), "V1:1"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("render"))).click();
        wait.until(d -> d.findElements(By.cssSelector("#jobs li.job[data-state='queued']")).size() == 1);
        WebElement queued = find("#jobs li.job[data-state='queued']");
        String id = queued.getAttribute("data-id");
        queued.findElement(By.className("cancel")).click();
        wait.until(d -> "cancelled".equals(d.findElement(By.cssSelector("#jobs li.job[data-id='" + id + "']")).getAttribute("data-state")));
        find("#pause").click();
        wait.until(ExpectedConditions.textToBe(By.id("pause"), "Pause queue"));
        assertArrayEquals(before, Files.readAllBytes(project), "a cancelled job changes nothing");

        assertTrue(find("#service").getText().contains("cpu()"), find("#service").getText());
        shot("6-cancelled");
    }

    @Test
    @Order(3)
    void generateAClipAtAChosenTime() throws Exception {
        assertTrue(Files.isRegularFile(MODELS.resolve("minilm-l6-v2").resolve("card.json")), "the text encoder minilm-l6-v2 is missing in "
                + MODELS + ": the inference module's tests fetch it (mvn install runs them first)");
        byte[] before = Files.readAllBytes(project);
        find("#effect-generate").click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("generate-at")));
        assertFalse(find("#mode-row").isDisplayed(), "a generated clip goes on a new track: no placement to choose");
        assertEquals("Generate", find("#render").getText());
        // the form is the generate effect's declarations: prompt, seed, steps (1..200), guidance, sampler (a choice)...
        assertEquals("heun", find("#param-sampler").getAttribute("value"));
        WebElement steps = find("#param-steps");
        steps.clear();
        steps.sendKeys("0");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("param-steps-error"), "out of range 1..200"));
        assertFalse(find("#render").isEnabled());
        steps.clear();
        steps.sendKeys("2");
        find("#param-prompt").sendKeys("a red circle moving left on a sandy background");
        WebElement duration = find("#param-duration");
        duration.clear();
        duration.sendKeys("0.5");
        WebElement at = find("#generate-at");
        at.clear();
        at.sendKeys("0.2");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("render"))).click();
        // placed as kinora generate places it: a new top track, from frame 5 (0.2 s at 25 fps), written when done
        awaitJob("generate", "applied");
        assertTrue(job().getText().contains("generate on new track at 0.20 s"), job().getText());
        String changes = job().findElement(By.className("changes")).getText();
        assertTrue(changes.contains("new track V2 with 1 clip: kinora-media/generate-"), changes);
        assertTrue(changes.contains("at frame 5"), changes);
        String written = Files.readString(project);
        assertNotEquals(new String(before), written);
        assertTrue(written.contains("<property name=\"kinora:effect\">generate</property>"), written);
        assertTrue(written.contains("a red circle moving left on a sandy background"), written);
        wait.until(d -> !d.findElements(By.cssSelector(".track[data-track='V2'] .clip")).isEmpty());
        wait.until(d -> loaded(job().findElement(By.className("still"))));
        shot("7-generated");
        job().findElement(By.className("undo")).click();
        wait.until(d -> "undone".equals(job().getAttribute("data-state")));
        assertArrayEquals(before, Files.readAllBytes(project), "undo removed the generated track");
    }

    @Test
    @Order(4)
    void paintAMotionBrushSaveItAndRunMotionBrush() throws Exception {
        // a Shotcut project with one still (a texture, so motion shows) on V1
        Path stillDir = Files.createDirectories(dir.resolve("still"));
        int w = 320;
        int h = 180;
        BufferedImage texture = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        texture.setRGB(0, 0, w, h, MotionBrushMeasureTest.texture(w, h, 5), 0, w);
        ImageIO.write(texture, "png", stillDir.resolve("still.png").toFile());
        Path stillProject = Files.writeString(stillDir.resolve("still.mlt"), MotionBrushMeasureTest.shotcutProject("still.png", w, h, FRAMES));
        byte[] before = Files.readAllBytes(stillProject);

        WebElement path = find("#project-path");
        path.clear();
        path.sendKeys(stillProject.toString());
        find("#open-project").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("project-name"), "still.mlt"));
        find(".clip[data-ref='V1:1']").click();
        find("#effect-motion-brush").click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("brush-section")));
        WebElement canvas = find("#brush-canvas");
        patient(120).withMessage(() -> "the still did not load: " + find("#brush-status").getText()
                + "; message: " + find("#message").getText()).until(d -> "320".equals(canvas.getAttribute("width"))
                        && find("#brush-status").getText().contains("320x180"));
        js("arguments[0].scrollIntoView({block: 'center'})", canvas);
        double scale = canvas.getSize().getWidth() / 320.0;

        // brush 1: paint the lower band, then an arrow to the left: flow left at the arrow's length in px/s
        find("#tool-paint").click();
        js("arguments[0].value = 60; arguments[0].dispatchEvent(new Event('input'))", find("#brush-size"));
        Actions a = new Actions(browser);
        int cx = canvas.getSize().getWidth() / 2;
        int cy = canvas.getSize().getHeight() / 2;
        for (int dy : new int[] {(int) (40 * scale), (int) (60 * scale)}) {
            a.moveToElement(canvas, (int) (-140 * scale) - cx + cx, dy).clickAndHold().moveByOffset((int) (280 * scale), 0).release().perform();
        }
        // the eraser takes a gap out of the band at x = 40
        find("#tool-erase").click();
        a.moveToElement(canvas, (int) ((40 - 160) * scale), (int) (25 * scale)).clickAndHold().moveByOffset(0, (int) (40 * scale)).release()
                .perform();
        find("#tool-arrow").click();
        a.moveToElement(canvas, 0, (int) (50 * scale)).clickAndHold().moveByOffset((int) (-40 * scale), 0).release().perform();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("brush-direction"), "direction (-"));
        // the motion as the effect reads it: arrows over the band, and the brush in words
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("brush-field"), "Brush 1: flow toward (-1.00, "));
        wait.until(d -> Integer.parseInt(canvas.getAttribute("data-arrows")) > 10);
        int bandArrows = Integer.parseInt(canvas.getAttribute("data-arrows"));
        // a third brush for a moment: a cue, read as the effect reads it, then removed
        find("#brush-add").click();
        find("#brush-add").click();
        new Select(find("#brush-list")).selectByValue("2");
        find("#tool-paint").click();
        a.moveToElement(canvas, (int) (-120 * scale), (int) (-70 * scale)).clickAndHold().moveByOffset((int) (100 * scale), 0).release().perform();
        new Select(find("#brush-type")).selectByValue("cue");
        find("#brush-cue").sendKeys("clouds drifting slowly to the right");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("brush-field"),
                "Brush 3: cue \"clouds drifting slowly to the right\": flow toward (1.00, 0.00)"));
        wait.until(d -> Integer.parseInt(canvas.getAttribute("data-arrows")) > bandArrows);
        shot("8a-brush-cue");
        find("#brush-remove").click();
        new Select(find("#brush-list")).selectByValue("1");
        // brush 2 (made above, empty): a held (static) triangle drawn with the polygon tool in the middle of the band
        find("#tool-polygon").click();
        for (int[] pt : new int[][] {{145, 128}, {175, 128}, {160, 152}}) {
            a.moveToElement(canvas, (int) ((pt[0] - 160) * scale), (int) ((pt[1] - 90) * scale)).click().perform();
        }
        find("#polygon-close").click();
        new Select(find("#brush-type")).selectByValue("static");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("brush-field"), "Brush 2: static: held still"));
        assertFalse(find("#brush-field").getText().contains("Brush 3"), find("#brush-field").getText());
        shot("8-brush-painted");

        find("#brush-save").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("brush-status"), "saved 2 brushes"));
        Path brushFile = stillDir.resolve("kinora-brushes").resolve("brushes.json");
        assertEquals(brushFile.toString(), find("#param-brushes").getAttribute("value"));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(brushFile.toFile());
        assertEquals(2, json.path("brushes").size(), json.toString());
        var flow = json.path("brushes").get(0);
        assertEquals("flow", flow.path("motion").path("kind").asText(), json.toString());
        assertTrue(flow.path("motion").path("direction").get(0).asDouble() < -30, json.toString());
        assertTrue(Math.abs(flow.path("motion").path("direction").get(1).asDouble()) < 3, json.toString());
        assertEquals(40, flow.path("motion").path("speed").asDouble(), 4, json.toString());
        assertTrue(json.path("brushes").get(1).path("static").asBoolean(), json.toString());
        BufferedImage mask = ImageIO.read(stillDir.resolve("kinora-brushes").resolve(flow.path("region").path("mask").asText()).toFile());
        assertEquals(w, mask.getWidth());
        assertEquals(h, mask.getHeight());
        assertTrue((mask.getRGB(160, 90 + 50) >>> 24) > 200, "the band is painted");
        assertEquals(0, mask.getRGB(160, 20) >>> 24, "the sky is not");
        assertEquals(0, mask.getRGB(40, 140) >>> 24, "the eraser took the gap out");
        BufferedImage held = ImageIO.read(stillDir.resolve("kinora-brushes")
                .resolve(json.path("brushes").get(1).path("region").path("mask").asText()).toFile());
        assertTrue((held.getRGB(160, 135) >>> 24) > 200, "the polygon is filled");
        assertEquals(0, held.getRGB(160, 160) >>> 24, "and only the polygon");
        assertEquals(0, held.getRGB(140, 135) >>> 24, "and only the polygon");

        // a short loop at a small size, then the render, applied to the project
        find("#brush-loop").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("brush-status"), "looping"));
        wait.until(d -> loaded(d.findElement(By.id("loop"))));
        shot("9-brush-loop");
        startJob();
        awaitJob("motion brush", "rendered");
        assertTrue(job().getText().contains("motion-brush on V1:1"), job().getText());
        assertArrayEquals(before, Files.readAllBytes(stillProject), "rendering does not touch the project");
        job().findElement(By.className("apply")).click();
        wait.until(d -> "applied".equals(job().getAttribute("data-state")));
        String written = Files.readString(stillProject);
        assertTrue(written.contains("<property name=\"kinora:effect\">motion-brush</property>"), written);
        assertTrue(written.contains("kinora-brushes/brushes.json"), written);
        Matcher m = Pattern.compile("kinora-media/(still-motion-brush-[0-9a-f]+\\.mp4)").matcher(written);
        assertTrue(m.find(), written);
        // the painted band moved: the result's middle frame differs from the still there, the unpainted sky does not move
        Path result = stillDir.resolve("kinora-media").resolve(m.group(1));
        int[][] frames = Tools.decodeAll(result, w, h);
        assertEquals(FRAMES, frames.length);
        int[] still = texture.getRGB(0, 0, w, h, null, 0, w);
        assertTrue(region(frames[FRAMES / 2], still, w, 140, 160) > 8, "the painted band moves");
        assertTrue(region(frames[FRAMES / 2], still, w, 5, 40) < 4, "the unpainted sky holds");
        js("arguments[0].scrollIntoView({block: 'start'})", job());
        shot("10-brush-applied");
    }

    @Test
    @Order(5)
    void scrubAPoseTrackOverTheStillMoveARestJointAndAnimate() throws Exception {
        // the drawn figure of samples/pose with its mask and rest pose, as a still on V1
        Path samples = Path.of("../../samples/pose").toAbsolutePath().normalize();
        Path poseDir = Files.createDirectories(dir.resolve("pose"));
        for (String f : List.of("figure.png", "figure-mask.png", "figure-rest.json")) {
            Files.copy(samples.resolve(f), poseDir.resolve(f));
        }
        // and after it on V1 a driving clip: the figure swaying left and right, 100 frames, for a track read from a clip
        Tools.run("ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", samples.resolve("figure.png").toString(), "-vf",
                "scale=320:180:force_original_aspect_ratio=decrease,pad=480:180:(ow-iw)/2:0:white,crop=320:180:'80+60*sin(2*PI*t)':0",
                "-frames:v", "100", "-r", "25", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                poseDir.resolve("sway.mp4").toString());
        String driver = """
                  <producer id="producer1" in="0" out="99">
                    <property name="length">100</property>
                    <property name="eof">pause</property>
                    <property name="resource">sway.mp4</property>
                    <property name="mlt_service">avformat-novalidate</property>
                    <property name="seekable">1</property>
                  </producer>
                """;
        String xml = MotionBrushMeasureTest.shotcutProject("figure.png", 320, 180, FRAMES)
                .replace("  <playlist id=\"playlist0\">", driver + "  <playlist id=\"playlist0\">")
                .replace("<entry producer=\"producer0\" in=\"0\" out=\"" + (FRAMES - 1) + "\"/>",
                        "<entry producer=\"producer0\" in=\"0\" out=\"" + (FRAMES - 1) + "\"/>\n    <entry producer=\"producer1\" in=\"0\" out=\"99\"/>");
        assertTrue(xml.contains("producer=\"producer1\""), xml);
        Path poseProject = Files.writeString(poseDir.resolve("figure.mlt"), xml);
        WebElement path = find("#project-path");
        path.clear();
        path.sendKeys(poseProject.toString());
        find("#open-project").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("project-name"), "figure.mlt"));
        find(".clip[data-ref='V1:1']").click();
        find("#effect-pose-animate").click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pose-section")));
        WebElement canvas = find("#pose-canvas");
        wait.until(d -> "480".equals(canvas.getAttribute("width")));

        // the track: a BVH wave, read as the effect reads it; the form's track is set to it
        find("#pose-track-path").sendKeys(samples.resolve("wave.bvh").toString());
        find("#pose-track-load").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pose-status"), "frames (bvh"));
        assertEquals(samples.resolve("wave.bvh").toString(), find("#param-track").getAttribute("value"));
        // the rest pose from its file, then its nose dragged 30 display px to the right
        find("#pose-rest-path").sendKeys(poseDir.resolve("figure-rest.json").toString());
        find("#pose-rest-load").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pose-status"), "rest pose loaded"));
        var rest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(poseDir.resolve("figure-rest.json").toFile());
        js("arguments[0].scrollIntoView({block: 'center'})", canvas);
        double scale = canvas.getSize().getWidth() / 480.0;
        double[] nose = noseOf(rest);
        new Actions(browser).moveToElement(canvas, (int) Math.round((nose[0] - 240) * scale), (int) Math.round((nose[1] - 300) * scale))
                .clickAndHold().moveByOffset(30, 0).release().perform();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pose-status"), "joint moved"));
        // scrub to the middle of the wave
        WebElement frame = find("#pose-frame");
        js("arguments[0].value = Math.floor(arguments[0].max / 2); arguments[0].dispatchEvent(new Event('input'))", frame);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pose-frame-label"), " / "));
        shot("11-pose-scrubbed");
        find("#pose-rest-save").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pose-status"), "saved"));
        Path saved = poseDir.resolve("kinora-poses").resolve("rest.json");
        assertEquals(saved.toString(), find("#param-rest").getAttribute("value"));
        double[] moved = noseOf(new com.fasterxml.jackson.databind.ObjectMapper().readTree(saved.toFile()));
        assertEquals(nose[0] + 30 / scale, moved[0], 3, "the nose moved right by the drag");
        assertEquals(nose[1], moved[1], 3, "and not up or down");

        // animate with the moved rest pose and the figure's mask
        WebElement mask = find("#param-mask");
        mask.clear();
        mask.sendKeys(poseDir.resolve("figure-mask.png").toString());
        startJob();
        awaitJob("pose-animate", "rendered");
        assertTrue(job().getText().contains("pose-animate on V1:1"), job().getText());
        assertTrue(job().getText().contains("rest=" + saved), job().getText());
        wait.until(d -> loaded(job().findElement(By.className("still"))));
        js("arguments[0].scrollIntoView({block: 'start'})", job());
        shot("12-pose-rendered");

        // a track read from the driving clip by MoveNet: its progress shows as it reads, and it can be cancelled
        js("window.poseEvents = []; const es = new EventSource('/api/events');"
                + " es.addEventListener('pose', (e) => window.poseEvents.push(JSON.parse(e.data)));"
                + " window.poseEventsOpen = new Promise((ok) => { es.onopen = ok; });");
        ((JavascriptExecutor) browser).executeAsyncScript("window.poseEventsOpen.then(arguments[arguments.length - 1]);");
        js("arguments[0].scrollIntoView({block: 'center'})", canvas);
        WebElement trackPath = find("#pose-track-path");
        trackPath.clear();
        trackPath.sendKeys("clip:V1:2");
        find("#pose-track-load").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pose-status"), "reading the poses of clip V1:2"));
        assertTrue(find("#pose-progress").isDisplayed(), "a progress bar while MoveNet reads the clip");
        find("#pose-cancel").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "reading the poses of clip V1:2 was cancelled"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("pose-progress")));
        find("#pose-track-load").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pose-status"), "100 frames ("));
        assertEquals("clip:V1:2", find("#param-track").getAttribute("value"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) js("return window.poseEvents;");
        List<String> states = events.stream().map(e -> String.valueOf(e.get("state"))).toList();
        assertTrue(states.contains("cancelled") && "done".equals(states.get(states.size() - 1)), "pose events: " + states);
        long reports = events.stream().filter(e -> "reading".equals(e.get("state")) && ((Number) e.get("done")).longValue() > 0).count();
        assertTrue(reports >= 2, "progress while reading: " + events);
        js("arguments[0].value = Math.floor(arguments[0].max / 4); arguments[0].dispatchEvent(new Event('input'))", frame);
        shot("13-pose-from-clip");
    }

    @Test
    @Order(6)
    void servesNothingOutsideTheProjectAndTheMediaItMade() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, java.net.http.HttpResponse<String>> get = p -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(URI.create(panel + p)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        // a project is open (the last test's); its clips have thumbnails, nothing else does
        assertEquals(200, get.apply("api/thumbnail?clip=V1:1").statusCode());
        for (String p : List.of("api/thumbnail?clip=" + project, "api/thumbnail?clip=../../../etc/passwd", "api/still?clip=/etc/passwd")) {
            var r = get.apply(p);
            assertEquals(400, r.statusCode(), p + ": " + r.body());
            assertTrue(r.body().contains("no clip"), p + ": " + r.body());
        }
        for (String p : List.of("media/" + project.getFileName(), "media/../panel.mlt", "media/%2e%2e%2fpanel.mlt", "etc/passwd",
                project.toString().substring(1), "kinora-media/")) {
            var r = get.apply(p);
            assertEquals(404, r.statusCode(), p + ": " + r.body());
            assertFalse(r.body().contains("<mlt"), p);
        }
        // a page of another origin cannot change anything
        var cross = http.send(java.net.http.HttpRequest.newBuilder(URI.create(panel + "api/project")).header("Origin", "http://example.com")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"path\": \"" + project + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(403, cross.statusCode(), cross.body());
    }

    /** The nose of a Kinora track's first frame. */
    private static double[] noseOf(com.fasterxml.jackson.databind.JsonNode track) {
        var f = track.path("frames").get(0);
        var n = f.isArray() ? f.get(0) : f.path("keypoints").isArray() ? f.path("keypoints").get(0) : f.path("nose");
        return new double[] {n.get(0).asDouble(), n.get(1).asDouble()};
    }

    /** Mean absolute channel difference of rows y0..y1 (all columns). */
    private static double region(int[] a, int[] b, int w, int y0, int y1) {
        long sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < w; x++) {
                int p = a[y * w + x];
                int q = b[y * w + x];
                for (int s = 0; s < 24; s += 8) {
                    sum += Math.abs((p >> s & 0xff) - (q >> s & 0xff));
                }
            }
        }
        return (double) sum / ((y1 - y0) * w * 3);
    }
}
