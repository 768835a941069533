package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.cli.MainTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sivi report: the page's sections for fit and mcmc runs, nothing loaded from outside, warnings, one-line errors. */
class ReportCommandTest {
    @TempDir Path tmp;

    static Path fitRun(Path dir) {
        MainTest.Result r = run("fit", "--iterations", "30", "--batch", "20", "--draws", "100", "--set", "lr=2e-3", "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        return dir;
    }

    static Path mcmcRun(Path dir) {
        MainTest.Result r = run("mcmc", "--target", "banana", "--warmup", "50", "--draws", "50", "--chains", "2", "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        return dir;
    }

    static String report(Path dir) throws Exception {
        MainTest.Result r = run("report", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(dir.resolve("report.html").toString(), r.out().strip());
        return Files.readString(dir.resolve("report.html"));
    }

    @Test void fitReportHoldsPlotsMetricsOptionsAndTheirSources() throws Exception {
        String html = report(fitRun(tmp.resolve("fit")));
        for (String id : new String[] {"warnings", "plots", "summary", "metrics", "options", "resume-history", "files", "summary-json"})
            assertTrue(html.contains("<section id=\"" + id + "\">"), id);
        assertTrue(html.contains("<img id=\"img-plot\"") && html.contains("<img id=\"img-trace\""), "both plots embedded");
        assertTrue(html.contains("<td>lr</td><td>2e-3</td><td>--set (overrides preset kpg-banana"), "an option with its source");
        assertTrue(html.contains("<td>mmd2_rbf</td>"), "metrics against the exact draws");
        assertTrue(html.contains("never resumed"));
        assertSelfContained(html);
    }

    @Test void mcmcReportHoldsPerParameterDiagnostics() throws Exception {
        String html = report(mcmcRun(tmp.resolve("mcmc")));
        assertTrue(html.contains("<section id=\"diagnostics\">") && html.contains("<th>ess_tail</th>"));
        assertTrue(html.contains("<tr><td>x1</td>") && html.contains("<tr><td>x2</td>"), "a row per parameter");
        assertTrue(html.contains("<img id=\"img-trace\"") && !html.contains("<section id=\"options\">"));
        assertSelfContained(html);
    }

    @Test void warningsOfTheSummaryAreListed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("synthetic"));
        Files.writeString(dir.resolve("summary.json"), """
                {"target": "funnel", "method": "nuts", "chains": 2, "rhat": {"v": 1.2}, "names": ["v"], "rhat_max": 1.2,
                 "divergences": 7, "warmup_divergences": 0, "e_bfmi": [0.9, 0.1], "tree_depth_at_max": 0}
                """);
        String html = report(dir);
        assertTrue(html.contains("7 divergent transition(s) after warm-up"), html);
        assertTrue(html.contains("chain 2 has E-BFMI 0.10 &lt; 0.3"));
        assertTrue(html.contains("max R-hat 1.200 &gt; 1.01"));
        assertFalse(html.contains("during warm-up") || html.contains("chain 1 has") || html.contains("maximum tree depth"));
        assertTrue(html.contains("no plots in this run directory"));
    }

    @Test void aDirectoryThatIsNotARunIsAOneLineError() throws Exception {
        MainTest.Result missing = run("report", tmp.resolve("nope").toString());
        assertEquals(1, missing.code());
        assertEquals(1, missing.errLines().size(), missing.err());
        assertTrue(missing.err().contains("is not a directory"), missing.err());

        MainTest.Result empty = run("report", tmp.toString());
        assertEquals(1, empty.code());
        assertEquals(1, empty.errLines().size(), empty.err());
        assertTrue(empty.err().contains("is not a run directory: it has no summary.json"), empty.err());

        Files.writeString(tmp.resolve("summary.json"), "{\"metrics\": {}}");
        MainTest.Result other = run("report", tmp.toString());
        assertEquals(1, other.code());
        assertTrue(other.err().contains("not the summary of a run"), other.err());

        Files.writeString(tmp.resolve("summary.json"), "{not json");
        MainTest.Result bad = run("report", tmp.toString());
        assertEquals(1, bad.code());
        assertEquals(1, bad.errLines().size(), bad.err());
        assertTrue(bad.err().contains("not valid JSON"), bad.err());
        assertFalse(Files.exists(tmp.resolve("report.html")));

        assertEquals(2, run("report").code(), "RUN_DIR is required");
    }

    /** Nothing outside the page: no URL in any src/href, no link or external script element. */
    static void assertSelfContained(String html) {
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        while (m.find()) assertTrue(m.group(1).startsWith("data:image/png;base64,"), "external reference: " + m.group(1));
        assertFalse(html.contains("<link") || html.contains("@import") || html.contains("url("), "no external stylesheet or font");
    }
}
