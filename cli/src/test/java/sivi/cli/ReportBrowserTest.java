package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real headless Chromium: it renders with no console message (the page's CSP
 * makes the browser refuse and log any load from outside), every plot decodes (the page's own script
 * writes "images decoded: k/n" into the DOM), and the sections are there. Skips when no chromium is
 * on the PATH, except under CI=true, where it fails (.ci/run installs it: scripts/install-chromium.sh).
 */
class ReportBrowserTest {
    @TempDir static Path tmp;
    static String chromium;

    @BeforeAll static void findChromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome"))
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                if (chromium == null && Files.isExecutable(Path.of(dir, name))) chromium = Path.of(dir, name).toString();
        if (chromium == null && "true".equals(System.getenv("CI"))) fail("CI=true but no chromium on the PATH (scripts/install-chromium.sh installs it)");
        Assumptions.assumeTrue(chromium != null, "no chromium on the PATH: the report is not checked in a browser (apt-get install chromium)");
    }

    /** What the browser made of a page: the DOM after scripts ran, and its console lines. */
    record Loaded(String dom, List<String> console) {}

    static Loaded load(Path page) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "profile");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--enable-logging=stderr", "--v=0", "--dump-dom", page.toUri().toString()));
        Path out = tmp.resolve("dom-" + profile.getFileName() + ".html"), err = tmp.resolve("log-" + profile.getFileName() + ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) { p.destroyForcibly(); fail("chromium did not finish within 120 s"); }
        String log = read(err);
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + log);
        // page messages are logged as "...:INFO:CONSOLE:line] "message", source: ..." (Chromium's own dbus noise is not)
        List<String> console = log.lines().filter(l -> l.contains(":CONSOLE")).toList();
        return new Loaded(read(out), console);
    }

    static String read(Path f) throws java.io.IOException { return Files.readString(f, StandardCharsets.UTF_8); }

    @Test void theDetectorSeesConsoleErrorsAndBrokenImages() throws Exception {
        // the control: a page with an error and an undecodable image must be caught, or the checks below prove nothing
        Path page = tmp.resolve("control.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><p id=\"image-check\"></p><img src=\"data:image/png;base64,AAAA\">"
                + "<script>console.error('boom');window.addEventListener('load',function(){var i=document.images[0];"
                + "document.getElementById('image-check').textContent='images decoded: '+(i.naturalWidth>0?1:0)+'/1';});</script></body></html>");
        Loaded l = load(page);
        assertTrue(l.console().stream().anyMatch(s -> s.contains("boom")), l.console().toString());
        assertTrue(l.dom().contains("images decoded: 0/1"), l.dom());

        // the report's policy makes the browser refuse, and log, anything from outside the page
        Path outside = tmp.resolve("outside.html");
        Files.writeString(outside, "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"" + ReportCommand.CSP + "\"></head>"
                + "<body><img src=\"http://127.0.0.1:9/x.png\"><link rel=\"stylesheet\" href=\"http://127.0.0.1:9/a.css\"></body></html>");
        Loaded o = load(outside);
        assertEquals(2, o.console().stream().filter(s -> s.contains("violates the following Content Security Policy")).count(), o.console().toString());
    }

    @Test void fitReportRendersWithoutConsoleMessagesAndDecodesItsPlots() throws Exception {
        assertRenders(ReportCommandTest.fitRun(tmp.resolve("fit")), 2, "warnings", "plots", "metrics", "options", "resume-history", "summary-json");
    }

    @Test void mcmcReportRendersWithoutConsoleMessagesAndDecodesItsPlot() throws Exception {
        assertRenders(ReportCommandTest.mcmcRun(tmp.resolve("mcmc")), 1, "warnings", "plots", "metrics", "diagnostics", "summary-json");
    }

    /** sivi report on the run, then in the browser: no console line, all {@code images} decoded, the sections in the DOM. */
    static void assertRenders(Path run, int images, String... sections) throws Exception {
        ReportCommandTest.report(run);
        Loaded l = load(run.resolve("report.html"));
        assertEquals(List.of(), l.console());
        assertTrue(l.dom().contains("images decoded: " + images + "/" + images), "every plot decoded");
        for (String id : sections) assertTrue(l.dom().contains("<section id=\"" + id + "\">"), id);
    }
}
