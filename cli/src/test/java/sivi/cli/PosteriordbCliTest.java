package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.cli.MainTest.run;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pdb-* targets through the CLI: listing, constrained outputs under Stan's names, eval against the shipped gzip reference, bad input. */
class PosteriordbCliTest {
    @TempDir Path tmp;

    static final String ES = "pdb-eight_schools-eight_schools_noncentered";

    Path shippedReference() throws Exception {
        Path f = tmp.resolve("reference.csv.gz");
        if (Files.exists(f)) return f;
        try (InputStream in = getClass().getResourceAsStream("/sivi/posteriordb/eight_schools-eight_schools_noncentered/reference.csv.gz")) {
            Files.copy(in, f);
        }
        return f;
    }

    @Test void targetsListsThePosteriorsWithDimension() {
        MainTest.Result r = run("targets");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(ES) && r.out().contains("d=10") && r.out().contains("pdb-arK-arK"), r.out());
    }

    @Test void mcmcWritesConstrainedOutputsAndEvalReadsTheGzipReference() throws Exception {
        Path dir = tmp.resolve("mc");
        MainTest.Result r = run("mcmc", "--target", ES, "--warmup", "150", "--draws", "100", "--chains", "2", "--seed", "5", "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(dir.resolve("samples.csv"));
        assertEquals("theta[1],theta[2],theta[3],theta[4],theta[5],theta[6],theta[7],theta[8],mu,tau,chain__", lines.get(0));
        for (String line : lines.subList(1, lines.size())) assertTrue(Double.parseDouble(line.split(",")[9]) > 0, "tau > 0: " + line);

        MainTest.Result e = run("eval", "--target", ES, "--samples", dir.resolve("samples.csv").toString(), "--reference", shippedReference().toString());
        assertEquals(0, e.code(), e.err());
        Map<String, Object> m = CommandsTest.metricsOf(e);
        assertTrue(((Number) m.get("reference_n")).intValue() > 0, m.toString());
        // the reader: gzip, chain__ skipped, all 4000 draws
        SampleIO.Samples ref = SampleIO.read(shippedReference());
        assertEquals(lines.get(0).replace(",chain__", ""), String.join(",", ref.names()));
        assertEquals(4000, ref.draws().dim(0));
    }

    @Test void fitWritesStanNamesInEveryFormat() throws Exception {
        Path dir = tmp.resolve("fit");
        MainTest.Result r = run("fit", "--target", ES, "--method", "advi", "--iterations", "20", "--draws", "50", "--format", "cmdstan", "--quiet", "--no-plot", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readAllLines(dir.resolve("samples.csv")).get(0).startsWith("theta[1],"));
        String cmdstan = Files.readAllLines(dir.resolve(SampleFormat.CMDSTAN.defaultFileName())).stream().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        assertTrue(cmdstan.startsWith("lp__,theta.1,") && cmdstan.endsWith(",mu,tau"), cmdstan);
    }

    /**
     * Every method of the VI toolbox runs on a posteriordb target through the CLI (a few iterations each): exit 0,
     * Stan's names in samples.csv, every written draw finite, psis_khat and its reading in summary.json (k̂ itself may be
     * null: all ratios equal). The semi-implicit variants of renyi/iwae (through IWHVI's bound, with a flow after it) too.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "bbvi", "renyi", "iwae", "flow", "laplace", "pathfinder",
            "renyi --set family=semi_implicit --set si_hidden=8 --set inner_k=5",
            "iwae --set family=semi_implicit --set si_hidden=8 --set inner_k=5 --set si_flow=realnvp --set si_flow_hidden=4"})
    void everyToolboxMethodRunsOnAPosteriordbTarget(String spec) throws Exception {
        Path dir = tmp.resolve("toolbox");
        List<String> args = new java.util.ArrayList<>(List.of("fit", "--target", ES, "--method"));
        args.addAll(List.of(spec.split(" ")));
        boolean oneShot = spec.equals("laplace") || spec.equals("pathfinder");
        args.addAll(List.of("--iterations", oneShot ? "2" : "5", "--draws", "40", "--quiet", "--no-plot", "--out", dir.toString()));
        if (!oneShot) args.addAll(List.of("--batch", "4"));
        MainTest.Result r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(dir.resolve("samples.csv"));
        assertTrue(lines.get(0).startsWith("theta[1],"), lines.get(0));
        assertEquals(41, lines.size());
        for (String line : lines.subList(1, lines.size()))
            for (String v : line.split(",")) assertTrue(Double.isFinite(Double.parseDouble(v)), spec + ": " + line);
        @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) sivi.data.Json.parse(Files.readString(dir.resolve("summary.json")));
        assertTrue(s.containsKey("psis_khat") && s.get("psis_reading") != null, spec + ": " + s.get("psis_reading"));
    }

    @Test void badInputIsAOneLineError() throws Exception {
        MainTest.Result unknown = run("mcmc", "--target", "pdb-no_such-posterior", "--out", tmp.resolve("x").toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("'pdb-no_such-posterior'"), unknown.err());
        // a reference of another posterior: its columns are not this target's
        Path other = tmp.resolve("other.csv");
        Files.writeString(other, "alpha,beta[1],sigma,chain__\n1,2,3,1\n");
        MainTest.Result wrong = run("eval", "--target", ES, "--samples", other.toString());
        assertEquals(1, wrong.code());   // a bad file, not a bad command line
        assertTrue(wrong.err().contains("has no column 'theta[1]'") && wrong.err().strip().lines().count() == 1, wrong.err());
        Path bad = tmp.resolve("bad.csv.gz");
        Files.write(bad, new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        MainTest.Result gz = run("eval", "--target", ES, "--samples", bad.toString());
        assertNotEquals(0, gz.code());
        assertTrue(gz.err().contains("not a valid gzip file"), gz.err());
    }
}
