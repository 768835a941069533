package sivi.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sivi.data.Json;

/**
 * {@code sivi report RUN_DIR}: RUN_DIR/report.html, one self-contained page (plots as base64 PNG,
 * inline CSS, no external resources) with the warnings, the plots, the metrics, the MCMC diagnostics,
 * the options with where each came from, the resume history and the whole summary.json.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write RUN_DIR/report.html: one self-contained page (plots, metrics, diagnostics, options) of a fit or mcmc run directory.",
                "It opens in a browser with no network."})
final class ReportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory written by 'sivi fit' or 'sivi mcmc'.")
    Path dir;

    /** The page's Content-Security-Policy: inline style and script, data: images, nothing else. */
    static final String CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

    /** The plots a run may hold, in page order, with their captions. */
    static final List<String[]> PLOTS = List.of(
            new String[] {"plot.png", "Draws: density contours (2-D) or marginals against the reference"},
            new String[] {"trace.png", "Trace: the objective per iteration (fit), or chain traces and rank plots (mcmc)"});

    @Override public Integer call() throws IOException {
        Path summaryFile = dir.resolve("summary.json");
        if (!Files.isDirectory(dir)) throw new Main.UserFailure(dir + " is not a directory (expected a run directory written by 'sivi fit' or 'sivi mcmc')");
        if (!Files.isRegularFile(summaryFile)) throw new Main.UserFailure(dir + " is not a run directory: it has no summary.json (written by 'sivi fit' or 'sivi mcmc')");
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(summaryFile, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new Main.UserFailure(summaryFile + ": not valid JSON (" + Main.oneLine(e.getMessage()) + ")");
        }
        if (!(parsed instanceof Map<?, ?> m) || !m.containsKey("target") || !m.containsKey("method"))
            throw new Main.UserFailure(summaryFile + ": not the summary of a run (no target and method)");
        @SuppressWarnings("unchecked") Map<String, Object> summary = (Map<String, Object>) m;
        Path out = dir.resolve("report.html");
        RunFiles.write(out, html(dir, summary));
        spec.commandLine().getOut().println(out);
        return Main.OK;
    }

    /** A run of 'sivi mcmc' (its summary has chains and R-hat); otherwise a fit. */
    static boolean isMcmc(Map<String, Object> s) { return s.containsKey("chains") && s.containsKey("rhat"); }

    static String html(Path dir, Map<String, Object> s) throws IOException {
        boolean mcmc = isMcmc(s);
        String title = (mcmc ? "sivi mcmc" : "sivi fit") + ": " + s.get("target") + " · " + s.get("method");
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                // the page may load nothing: a browser refuses (and logs) any fetch, so the browser test also proves it is self-contained
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n<title>").append(esc(title)).append("</title>\n");
        b.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        b.append("<h1>").append(esc(title)).append("</h1>\n");
        b.append("<p class=\"meta\">run directory <code>").append(esc(dir.toAbsolutePath().normalize().toString())).append("</code>; ")
                .append(esc(String.valueOf(s.get("sivi_version")))).append(", Java ").append(esc(String.valueOf(s.get("java"))))
                .append(", created ").append(esc(String.valueOf(s.get("created")))).append("</p>\n");

        b.append("<section id=\"warnings\">\n<h2>Warnings</h2>\n");
        List<String> warnings = warnings(s);
        if (warnings.isEmpty()) b.append("<p class=\"ok\">none</p>\n");
        else { b.append("<ul>\n"); for (String w : warnings) b.append("<li class=\"warn\">").append(esc(w)).append("</li>\n"); b.append("</ul>\n"); }
        b.append("</section>\n");

        b.append("<section id=\"plots\">\n<h2>Plots</h2>\n");
        int images = 0;
        for (String[] p : PLOTS) {
            Path f = dir.resolve(p[0]);
            if (!Files.isRegularFile(f)) continue;
            String id = "img-" + p[0].replace(".png", "");
            b.append("<figure><img id=\"").append(id).append("\" alt=\"").append(esc(p[0])).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(Files.readAllBytes(f))).append("\">\n<figcaption>").append(esc(p[0])).append(": ")
                    .append(esc(p[1])).append("</figcaption></figure>\n");
            images++;
        }
        if (images == 0) b.append("<p>no plots in this run directory (written with --no-plot?)</p>\n");
        b.append("</section>\n");

        b.append("<section id=\"summary\">\n<h2>Run</h2>\n");
        table(b, List.of("key", "value"), s.entrySet().stream().filter(e -> !(e.getValue() instanceof Map) && !(e.getValue() instanceof List<?> l && l.size() > 8))
                .map(e -> List.of(e.getKey(), value(e.getValue()))).toList());
        b.append("</section>\n");

        b.append("<section id=\"metrics\">\n<h2>Metrics</h2>\n");
        if (s.get("metrics_reference") != null) b.append("<p>against ").append(esc(String.valueOf(s.get("metrics_reference")))).append("</p>\n");
        if (s.get("metrics") instanceof Map<?, ?> metrics)
            table(b, List.of("metric", "value"), metrics.entrySet().stream().map(e -> List.of(String.valueOf(e.getKey()), value(e.getValue()))).toList());
        b.append("</section>\n");

        if (mcmc) {
            b.append("<section id=\"diagnostics\">\n<h2>Diagnostics per parameter</h2>\n");
            b.append("<p>R-hat and ESS as Vehtari et al. (2021) define them; R-hat above 1.01 is marked.</p>\n");
            List<String> cols = List.of("rhat", "ess_bulk", "ess_tail", "mcse_mean", "mcse_sd");
            List<List<String>> rows = new ArrayList<>();
            for (Object name : (List<?>) s.getOrDefault("names", List.of())) {
                List<String> row = new ArrayList<>(List.of(String.valueOf(name)));
                for (String c : cols) row.add(s.get(c) instanceof Map<?, ?> per ? value(per.get(name)) : "");
                rows.add(row);
            }
            List<String> header = new ArrayList<>(List.of("parameter"));
            header.addAll(cols);
            table(b, header, rows);
            b.append("</section>\n");
        } else {
            b.append("<section id=\"options\">\n<h2>Options and their sources</h2>\n");
            Map<?, ?> options = s.get("options") instanceof Map<?, ?> o ? o : Map.of(), sources = s.get("option_sources") instanceof Map<?, ?> o ? o : Map.of();
            table(b, List.of("option", "value", "source"), options.entrySet().stream()
                    .map(e -> List.of(String.valueOf(e.getKey()), value(e.getValue()), sources.containsKey(e.getKey()) ? value(sources.get(e.getKey())) : "default")).toList());
            if (s.get("option_notes") instanceof List<?> notes && !notes.isEmpty()) {
                b.append("<ul>\n");
                for (Object n : notes) b.append("<li>").append(esc(String.valueOf(n))).append("</li>\n");
                b.append("</ul>\n");
            }
            b.append("</section>\n");
            b.append("<section id=\"resume-history\">\n<h2>Resume history</h2>\n");
            if (s.get("resume_history") instanceof List<?> h && !h.isEmpty()) {
                b.append("<ol>\n");
                for (Object e : h) b.append("<li><code>").append(esc(Json.write(e).strip())).append("</code></li>\n");
                b.append("</ol>\n");
            } else b.append("<p>").append((num(s.get("start_iteration")) instanceof Number st && st.intValue() > 0 ? "resumed without option changes" : "never resumed")).append("</p>\n");
            b.append("</section>\n");
        }

        b.append("<section id=\"files\">\n<h2>Files</h2>\n<ul>\n");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList())
                if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith("."))
                    b.append("<li><code>").append(esc(f.getFileName().toString())).append("</code> (").append(Files.size(f)).append(" bytes)</li>\n");
        }
        b.append("</ul>\n</section>\n");
        b.append("<section id=\"summary-json\">\n<h2>summary.json</h2>\n<details><summary>show</summary>\n<pre>")
                .append(esc(Json.write(s))).append("</pre>\n</details>\n</section>\n");
        // records in the page whether every plot decoded (read by the headless-browser test; harmless otherwise)
        b.append("<p id=\"image-check\" class=\"meta\"></p>\n<script>\nwindow.addEventListener('load', function () {\n")
                .append("  var imgs = document.images, ok = 0;\n  for (var i = 0; i < imgs.length; i++) if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;\n")
                .append("  document.getElementById('image-check').textContent = 'images decoded: ' + ok + '/' + imgs.length;\n});\n</script>\n");
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    /** What a reader must not miss: divergence of a fit; divergences, E-BFMI, R-hat of MCMC. */
    static List<String> warnings(Map<String, Object> s) {
        List<String> w = new ArrayList<>();
        if (s.get("divergence_warning") instanceof String d) w.add("the fit diverged: " + d);
        if (num(s.get("divergences")) instanceof Number n && n.intValue() > 0)
            w.add(n.intValue() + " divergent transition(s) after warm-up: the draws may miss part of the posterior (rerun with a higher --target-accept)");
        if (num(s.get("warmup_divergences")) instanceof Number n && n.intValue() > 0) w.add(n.intValue() + " divergent transition(s) during warm-up");
        if (s.get("e_bfmi") instanceof List<?> bfmi)
            for (int c = 0; c < bfmi.size(); c++)
                if (bfmi.get(c) instanceof Number e && e.doubleValue() < 0.3)
                    w.add(String.format(Locale.ROOT, "chain %d has E-BFMI %.2f < 0.3: the sampler may not explore the tails", c + 1, e.doubleValue()));
        if (num(s.get("rhat_max")) instanceof Number r && r.doubleValue() > 1.01)
            w.add(String.format(Locale.ROOT, "max R-hat %.3f > 1.01: the chains have not mixed", r.doubleValue()));
        if (isMcmc(s) && num(s.get("tree_depth_at_max")) instanceof Number t && t.intValue() > 0)
            w.add(t.intValue() + " draw(s) hit the maximum tree depth");
        return w;
    }

    private static Number num(Object o) { return o instanceof Number n ? n : null; }

    private static String value(Object v) {
        if (v == null) return "—";
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%.6g", d);
        }
        if (v instanceof String str) return str;
        return Json.write(v).strip().replaceAll("\\s*\\n\\s*", " ");
    }

    private static void table(StringBuilder b, List<String> header, List<List<String>> rows) {
        b.append("<table>\n<thead><tr>");
        for (String h : header) b.append("<th>").append(esc(h)).append("</th>");
        b.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : rows) {
            b.append("<tr>");
            for (String c : r) b.append("<td>").append(esc(c)).append("</td>");
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** System fonts only: the page loads nothing. */
    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1040px; margin: 2em auto; padding: 0 1em; color: #333; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 1.6em; }
            .meta { color: #666; font-size: .9em; } .ok { color: #2a7; } .warn { color: #b00; font-weight: 600; }
            figure { margin: 1em 0; } img { max-width: 100%; border: 1px solid #eee; } figcaption { color: #666; font-size: .9em; }
            table { border-collapse: collapse; font-size: .9em; } th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: left; vertical-align: top; }
            th { background: #f4f4f4; } td { font-variant-numeric: tabular-nums; }
            pre { background: #f8f8f8; padding: 1em; overflow-x: auto; font-size: .85em; }
            """;
}
