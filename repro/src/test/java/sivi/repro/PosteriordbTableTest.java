package sivi.repro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.fit.Progress;
import sivi.posteriordb.References;

import static org.junit.jupiter.api.Assertions.*;

/** The table's plumbing at a tiny budget (the --quick run takes minutes: README). */
class PosteriordbTableTest {
    static final String EIGHT = "eight_schools-eight_schools_noncentered";

    static PosteriordbTable.Config tiny(List<String> posteriors, List<String> methods, Path cache) {
        return new PosteriordbTable.Config(posteriors, methods, true, 20, 200, cache, 1);
    }

    @Test void tinyTableScoresCountsAndWritesFiles(@TempDir Path dir) throws Exception {
        List<PosteriordbTable.Row> rows = PosteriordbTable.run(tiny(List.of(EIGHT), List.of("advi", "svgd"), dir.resolve("cache")), dir, Progress.SILENT);
        assertEquals(2, rows.size());
        for (PosteriordbTable.Row r : rows) {
            assertEquals("ok", r.status(), r.toString());
            assertEquals("posteriordb", r.reference());
            assertTrue(r.cmp().w1MarginalMean() > 0 && r.cmp().w1MarginalMean() <= r.cmp().w1MarginalMax(), r.toString());
        }
        // ADVI evaluates log p (value) and its score once per draw: 2 × batch × iterations rows
        PosteriordbTable.Row advi = rows.get(0);
        assertEquals(2L * 32 * advi.iterations(), advi.evals());
        String json = Files.readString(dir.resolve("result.json"));
        for (String k : List.of("\"z_mean_max\"", "\"sd_ratio_worst\"", "\"w1\"", "\"w1_sliced\"", "\"evals\"", "\"seconds\"", "\"reference\": \"posteriordb\""))
            assertTrue(json.contains(k), k);
        assertTrue(Files.size(dir.resolve("w1-heatmap.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("result.md")).contains("| advi |"));

        // a second run in the same directory keeps the finished rows instead of fitting again
        List<PosteriordbTable.Row> again = PosteriordbTable.run(tiny(List.of(EIGHT), List.of("advi", "svgd"), dir.resolve("cache")), dir, Progress.SILENT);
        assertEquals(rows.get(0).seconds(), again.get(0).seconds());
        assertEquals(rows.get(1).cmp().w1Sliced(), again.get(1).cmp().w1Sliced(), 1e-12);

        // a row fitted with other options than the budget's (an older budget) is fitted again; the others are kept
        Path f = dir.resolve("result.json");
        Files.writeString(f, Files.readString(f).replace("\"log_sigma_init\": \"-2.3\"", "\"log_sigma_init\": \"0\""));
        List<PosteriordbTable.Row> third = PosteriordbTable.run(tiny(List.of(EIGHT), List.of("advi", "svgd"), dir.resolve("cache")), dir, Progress.SILENT);
        assertEquals("-2.3", third.get(1).options().get("log_sigma_init"), "advi refitted with the budget's options: " + third);
        assertNotEquals(rows.get(0).seconds(), third.get(1).seconds());
        assertEquals(rows.get(1).seconds(), third.get(0).seconds(), "svgd kept");
    }

    @Test void standardizedRunFitsInLaplaceCoordinatesAndCountsLaplacesEvaluations(@TempDir Path dir) throws Exception {
        var c = new PosteriordbTable.Config(List.of(EIGHT), List.of("advi"), true, 20, 200, dir.resolve("cache"), 1, true);
        List<PosteriordbTable.Row> rows = PosteriordbTable.run(c, dir, Progress.SILENT);
        PosteriordbTable.Row advi = rows.get(0);
        assertEquals("ok", advi.status(), advi.toString());
        assertEquals("laplace-whitened", advi.options().get("standardize"));
        // the row's cost includes the Laplace fit that gave m and s
        assertTrue(advi.evals() > 2L * 32 * advi.iterations(), advi.toString());
        String json = Files.readString(dir.resolve("result.json"));
        assertTrue(json.contains("\"standardize\": true"), json);
        assertTrue(json.contains("\"source\": \"laplace\""), json);
        // a run without --standardize refuses the directory instead of mixing the two tables
        var plain = tiny(List.of(EIGHT), List.of("advi"), dir.resolve("cache"));
        var e = assertThrows(sivi.data.DataException.class, () -> PosteriordbTable.run(plain, dir, Progress.SILENT));
        assertTrue(e.getMessage().contains("standardize"), e.getMessage());
        // m and L from the Laplace draws: L lower-triangular with a positive diagonal, LLᵀ their covariance
        PosteriordbTable.Standardization std = PosteriordbTable.standardization(c, EIGHT);
        assertEquals(10, std.map().lower().length);
        for (int i = 0; i < 10; i++) {
            assertTrue(std.map().lower()[i][i] > 0, "L[i][i] " + std.map().lower()[i][i]);
            for (int j = i + 1; j < 10; j++) assertEquals(0.0, std.map().lower()[i][j]);
        }
    }

    @Test void cachedNutsWithHighRhatFailsTheRowsInsteadOfTheTable(@TempDir Path dir) throws Exception {
        String p = "kidiq-kidscore_momhs";   // no bundled reference: NUTS from the cache
        Path cache = dir.resolve("cache");
        Files.createDirectories(cache);
        StringBuilder csv = new StringBuilder("# rhat_max=1.05\n# divergences=3\nbeta[1],beta[2],sigma\n");
        for (int i = 0; i < 10; i++) csv.append(i).append(',').append(i % 3).append(',').append(1 + i % 2).append('\n');
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(References.cacheFile(cache, p)))) {
            out.write(csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        List<PosteriordbTable.Row> rows = PosteriordbTable.run(tiny(List.of(p), List.of("advi"), cache), dir.resolve("out"), Progress.SILENT);
        assertEquals(1, rows.size());
        assertTrue(rows.get(0).status().startsWith("failed: NUTS reference R-hat 1.0500"), rows.get(0).status());
        assertEquals("nuts", rows.get(0).reference());
        assertTrue(Files.readString(dir.resolve("out/result.json")).contains("\"rhat_max\": 1.05"));
    }

    @Test void rowsFarOffTheReferenceCarryAWarning() {
        java.util.function.BiFunction<Double, Double, PosteriordbTable.Row> row = (z, sd) -> new PosteriordbTable.Row("p", "m", "ref", 10, Map.of(), "ok",
                new sivi.metrics.PosteriorComparison(z, sd, 0, 0, 0), 0, 0, 1, 0);
        assertEquals(null, PosteriordbTable.warning(row.apply(0.5, 1.2)));
        assertEquals(null, PosteriordbTable.warning(row.apply(9.9, 0.11)));
        assertTrue(PosteriordbTable.warning(row.apply(3e13, 1.0)).contains("a mean 3.00e+13 reference sds away"));
        assertTrue(PosteriordbTable.warning(row.apply(1.0, 0.05)).contains("an sd 0.0500× the reference sd"));
        assertTrue(PosteriordbTable.warning(row.apply(Double.NaN, 1.0)) != null, "a NaN distance is not a good fit");
        assertEquals(null, PosteriordbTable.warning(new PosteriordbTable.Row("p", "m", "ref", 10, Map.of(), "failed: x", null, 0, 0, 1, Double.NaN)));
        assertTrue(PosteriordbTable.markdown(new PosteriordbTable.Config(List.of("p"), List.of("m"), false, 0, 10, null, 1), List.of(row.apply(3e13, 1.0)))
                .contains("| ok; far off the reference"));
    }

    @Test void unknownNamesAreOneLineErrors() {
        var m = assertThrows(IllegalArgumentException.class, () -> PosteriordbTable.methods(List.of("advi", "nope")));
        assertTrue(m.getMessage().startsWith("unknown method 'nope'") && m.getMessage().contains("ksivi") && !m.getMessage().contains("\n"), m.getMessage());
        var p = assertThrows(IllegalArgumentException.class, () -> PosteriordbTable.posteriors(List.of("nope"), false));
        assertTrue(p.getMessage().startsWith("unknown posterior 'nope'"), p.getMessage());
        assertEquals(PosteriordbTable.QUICK_POSTERIORS, PosteriordbTable.posteriors(List.of(), true));
    }
}
