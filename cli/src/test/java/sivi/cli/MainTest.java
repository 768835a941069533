package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sivi.data.Json;
import sivi.fit.TensorFile;

class MainTest {
    @TempDir Path tmp;

    record Result(int code, String out, String err) {
        List<String> errLines() { return err.lines().toList(); }
    }

    static Result run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A tiny fit: seconds, not minutes. */
    Result tinyFit(Path dir, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("fit", "--iterations", "20", "--batch", "20", "--draws", "50", "--quiet", "--out", dir.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path f) throws Exception { return (Map<String, Object>) Json.parse(Files.readString(f)); }

    @Test void helpAndVersionOfEverySubcommandExitZero() {
        for (String[] a : new String[][] {{"--help"}, {"--version"}, {"fit", "--help"}, {"sample", "--help"}, {"eval", "--help"}, {"targets", "--help"}, {"methods", "--help"}, {"help", "fit"}, {"help", "ksivi"},
                {"mcmc", "--help"}, {"devices", "--help"}, {"bench", "--help"}}) {
            Result r = run(a);
            assertEquals(0, r.code(), String.join(" ", a) + ": " + r.err());
            assertFalse(r.out().isBlank());
        }
    }

    @Test void targetsAndMethodsListRegisteredNamesWithPresets() {
        Result t = run("targets");
        assertEquals(0, t.code());
        assertTrue(t.out().contains("banana") && t.out().contains("d=2") && t.out().contains("ksivi-banana"), t.out());
        Result m = run("methods");
        assertEquals(0, m.code());
        assertTrue(m.out().contains("ksivi") && m.out().contains("      ksivi-banana "), m.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "fit --target nope | --target | banana",
            "fit --method nope | --method | ksivi",
            "fit --preset nope | --preset | ksivi-banana",
            "fit --dtype f16 | --dtype | f32, f64",
            "fit --backend gpu | --backend | scalar",
            "fit --iterations -3 | --iterations | >= 0",
            "fit --batch 0 | --batch | >= 1",
            "fit --seed abc | --seed | not an integer",
            "fit --threads x | --threads | not an integer",
            "fit --format xml | --format | csv, cmdstan, npy",
            "fit --set lr | --set | key=value",
            "fit --bogus | --bogus | --help",
            "fit --data /no/such.csv --response y | --data | no such",
            "sample --run /no/such --out x.csv | --run | not a directory",
            "eval --target banana --samples /no/such.csv | --samples | no such file",
            "eval --target nope --samples x.csv | --target | banana",
            "fit --device 1 | --device | --backend opencl",
            "fit --backend opencl --device -1 | --device | >= 0",
            "mcmc --target gaussian --method gibbs --out x | --method | nuts, hmc",
            "mcmc --target gaussian --chains 0 --out x | --chains | >= 1",
            "mcmc --target gaussian --target-accept 1 --out x | --target-accept | (0, 1)",
            "mcmc --target nope --out x | --target | gaussian",
            "mcmc --target gaussian | --out | --help",
            "frobnicate | frobnicate | --help",
            "help nope | nope | ksivi",
            "methods nope | METHOD | ksivi",
            "fit --set batch=many | batch=many | an integer >= 2",
            "fit --set btach=5 | btach | accepted: batch, zdim"})
    void badInputIsOneLineUsageErrorNamingTheFlagAndAcceptedValues(String args, String flag, String accepted) {
        Result r = run(args.trim().split("\\s+"));
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().size(), "one line, got: " + r.err());
        assertTrue(r.err().contains(flag) && r.err().contains(accepted), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test void unknownMethodOptionIsUsageError() {
        Result r = tinyFit(tmp.resolve("run"), "--set", "no_such_option=1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no_such_option"), r.err());
        assertEquals(1, r.errLines().size(), r.err());
    }

    @Test void debugShowsTheStackTrace() {
        Result r = run("fit", "--target", "nope", "--debug");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("at sivi.cli"), r.err());
    }

    @Test void malformedSamplesCsvIsRuntimeFailureNamingTheLine() throws Exception {
        Path f = tmp.resolve("bad.csv");
        Files.writeString(f, "x1,x2\n1.0,2.0\n3.0,oops\n");
        Result r = run("eval", "--target", "banana", "--samples", f.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("bad.csv:3") && r.err().contains("oops"), r.err());
        Files.writeString(f, "x1,x2\n1.0\n");
        r = run("eval", "--target", "banana", "--samples", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("expected 2 values"), r.err());
    }

    @Test void samplesWithTheWrongDimensionAreABadFile() throws Exception {
        Path f = tmp.resolve("three.csv");
        Files.writeString(f, "a,b,c\n1,2,3\n");
        Result r = run("eval", "--target", "banana", "--samples", f.toString());
        assertEquals(1, r.code());   // the file is wrong, not the command line
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("dimension 2"), r.err());
    }

    @Test void tinyFitWritesEveryFileWithTheRightShapes() throws Exception {
        Path dir = tmp.resolve("run");
        Result r = tinyFit(dir, "--format", "npy");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "--quiet prints nothing on stderr");
        assertEquals(dir.toString(), r.out().strip());

        List<String> samples = Files.readAllLines(dir.resolve("samples.csv"));
        assertEquals("x1,x2", samples.get(0));
        assertEquals(51, samples.size());
        SampleIO.Samples npy = SampleIO.read(dir.resolve("samples.npy"));
        assertArrayEquals(new int[] {50, 2}, npy.draws().shape());
        assertArrayEquals(SampleIO.read(dir.resolve("samples.csv")).draws().toDoubleArray(), npy.draws().toDoubleArray(), 1e-6);

        Map<String, Object> s = json(dir.resolve("summary.json"));
        for (String k : List.of("target", "method", "preset", "iterations", "batch", "seed", "dtype", "backend", "threads",
                "wall_seconds", "ms_per_iteration", "final_objective", "options", "metrics"))
            assertTrue(s.containsKey(k), "summary.json lacks " + k);
        assertEquals("banana", s.get("target"));
        assertEquals(FitCommand.DEFAULT_METHOD, s.get("method"));   // a bare fit: KPG with its banana preset
        assertEquals("kpg-banana", s.get("preset"));
        assertEquals(20, s.get("iterations"));
        assertEquals(20, s.get("batch"));
        @SuppressWarnings("unchecked") Map<String, Object> metrics = (Map<String, Object>) s.get("metrics");
        assertTrue(metrics.containsKey("mmd2_rbf"), "banana has exact draws: " + metrics);

        List<String> trace = Files.readAllLines(dir.resolve("trace.csv"));
        assertTrue(trace.get(0).startsWith("iteration,objective,elapsed"), trace.get(0));   // then the method's extras (KPG: surrogate)
        assertEquals(21, trace.size());
        assertEquals("20", TensorFile.read(dir.resolve("checkpoint.bin")).meta().get("iteration"));
        var img = ImageIO.read(dir.resolve("plot.png").toFile());
        assertTrue(img.getWidth() > 500 && img.getHeight() > 500);
        try (var files = Files.list(dir)) { assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left"); }
    }

    @Test void refusesToOverwriteARunWithoutResume() {
        Path dir = tmp.resolve("run");
        assertEquals(0, tinyFit(dir).code());
        Result r = tinyFit(dir);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--resume"), r.err());
    }

    @Test void resumeContinuesFromTheCheckpointToTheNewTotal() throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(0, run("fit", "--iterations", "10", "--batch", "20", "--draws", "50", "--quiet", "--no-plot", "--out", dir.toString()).code());
        Result r = run("fit", "--iterations", "20", "--batch", "20", "--draws", "50", "--quiet", "--no-plot", "--resume", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> s = json(dir.resolve("summary.json"));
        assertEquals(10, s.get("start_iteration"));
        List<String> trace = Files.readAllLines(dir.resolve("trace.csv"));
        assertEquals(21, trace.size(), "earlier rows kept, new ones appended");
        assertEquals("0", trace.get(1).split(",")[0]);
        assertEquals("19", trace.get(20).split(",")[0]);
        assertEquals("20", TensorFile.read(dir.resolve("checkpoint.bin")).meta().get("iteration"));

        // Resuming is bit-identical to an uninterrupted run with the same seed.
        Path straight = tmp.resolve("straight");
        assertEquals(0, run("fit", "--iterations", "20", "--batch", "20", "--draws", "50", "--quiet", "--no-plot", "--out", straight.toString()).code());
        assertEquals(Files.readString(straight.resolve("samples.csv")), Files.readString(dir.resolve("samples.csv")));
    }

    @Test void sampleRebuildsTheRunAndRepeatsItsDraws() throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(0, tinyFit(dir, "--no-plot").code());
        Path out = tmp.resolve("again.csv");
        Result r = run("sample", "--run", dir.toString(), "--draws", "50", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(dir.resolve("samples.csv")), Files.readString(out));

        Path stan = tmp.resolve("stan.csv");
        assertEquals(0, run("sample", "--run", dir.toString(), "--draws", "7", "--format", "cmdstan", "--out", stan.toString()).code());
        List<String> lines = Files.readAllLines(stan);
        assertTrue(lines.contains("# num_samples = 7") && lines.contains("# thin = 1"), lines.toString());
        assertEquals("lp__,x1,x2", lines.stream().filter(l -> !l.startsWith("#")).findFirst().orElseThrow());
    }

    @Test void evalPrintsMetricsAsJson() throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(0, tinyFit(dir, "--no-plot").code());
        Result r = run("eval", "--target", "banana", "--samples", dir.resolve("samples.csv").toString(), "--reference", dir.resolve("samples.csv").toString());
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) ((Map<String, Object>) Json.parse(r.out())).get("metrics");
        assertEquals(0.0, ((Number) m.get("mean_abs_error_max")).doubleValue(), 1e-12, "identical draws");
    }

    @Test void higherDimensionalTargetPlotsMarginals() throws Exception {
        Path dir = tmp.resolve("gauss");
        Result r = run("fit", "--target", "gaussian", "--iterations", "5", "--set", "batch=10", "--draws", "50", "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(10, Files.readAllLines(dir.resolve("samples.csv")).getFirst().split(",").length);
        assertNotNull(ImageIO.read(dir.resolve("plot.png").toFile()));
    }
}
