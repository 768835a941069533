package sivi.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sivi.data.Csv;
import sivi.data.DataException;
import sivi.data.Json;
import sivi.data.Table;
import sivi.fit.TensorFile;
import sivi.posteriordb.Posteriors;
import sivi.posteriordb.StanData;
import sivi.tensor.Tensor;

/**
 * Property-based fuzzing of every reader (issue 22): CSV data ({@link Csv}), samples files (CSV,
 * CmdStan CSV, gzip, .npy: {@link SampleIO}), checkpoints ({@link TensorFile}), JSON
 * ({@link Json}: summary.json, checkpoint headers, bench baselines), posteriordb data.json ({@link StanData}), and
 * {@code sivi eval --samples}, {@code sivi fit --data}, {@code sivi sample --run} end to end. Inputs
 * are random bytes and valid files damaged by {@link Mutator}. The only allowed outcomes are a
 * correct read, whose invariants are checked, or the reader's documented error with a one-line
 * message that names no Java class. Tries per property: {@code -Dsivi.fuzz.tries} (default 500;
 * the end-to-end properties run a fixed few, they start commands). Each try draws its input from
 * {@code new Random(SEED + try)}, so a failure names the seed that reproduces it.
 *
 * <p>Plain JUnit loops, not a property-testing library: the one asked for (jqwik 1.10.1) prints a notice
 * that AI agents must not use it, and this code base is written with AI agents; the properties need no
 * shrinking (the mutations are small and a failing seed is reported).
 */
class ReaderFuzzTest {
    private static Path dir;
    private static byte[] checkpoint, checkpointV1, summary, samplesCsv, samplesCmdstan, samplesNpy, samplesNpyF32, samplesGz;
    private static Map<String, Tensor> checkpointArrays;
    private static final List<byte[]> DATA_CSV = List.of(
            "x1,x2,y\n0.5,-1.25,1\n1e-3,2.5e2,0\n\"3\",4,1\n-7,0,0\n".getBytes(StandardCharsets.UTF_8),
            "\"a\",\"b, c\",y\r\n1,2,0\r\n3,4,1\r\n5,6,1\r\n".getBytes(StandardCharsets.UTF_8),
            "1,2.5,0\n-3,4e-2,1\n".getBytes(StandardCharsets.UTF_8));   // no header
    private static final byte[] BASELINE = "{\"jvm\": \"x\", \"cores\": 2, \"ratios\": {\"kernel matmul f32\": 1.25, \"step ksivi banana N=100\": 0.5}}\n"
            .getBytes(StandardCharsets.UTF_8);
    /** posteriordb data.json files below 100 kB (diamonds' 2.3 MB would make each try take milliseconds). */
    private static final Map<String, byte[]> PDB_DATA = new LinkedHashMap<>();
    /** The parsed originals: their shapes are the sizes the model declares. */
    private static final Map<String, Map<String, Object>> PDB_DECLARED = new LinkedHashMap<>();
    private static final Csv HEADER = Csv.withHeader(), NO_HEADER = Csv.withoutHeader();

    @BeforeAll static void seeds() throws Exception {
        // memory-backed when the machine has /dev/shm: a million tries write a million small files
        Path shm = Path.of("/dev/shm");
        dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "sivi-fuzz") : Files.createTempDirectory("sivi-fuzz");
        Path run = dir.resolve("run");
        // a small network keeps the checkpoint small (each try writes and checksums it); its header is a real one
        MainTest.Result r = MainTest.run("fit", "--iterations", "20", "--batch", "20", "--draws", "20", "--set", "hidden=8", "--quiet", "--no-plot",
                "--format", "cmdstan", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        checkpoint = Files.readAllBytes(run.resolve("checkpoint.bin"));
        checkpointArrays = TensorFile.read(run.resolve("checkpoint.bin")).arrays();
        summary = Files.readAllBytes(run.resolve("summary.json"));
        samplesCsv = Files.readAllBytes(run.resolve("samples.csv"));
        samplesCmdstan = Files.readAllBytes(run.resolve("samples.cmdstan.csv"));
        Tensor draws = SampleIO.readCsv(run.resolve("samples.csv")).draws();
        samplesNpy = SampleIO.npy(draws);
        samplesNpyF32 = npyF32(new float[] {0.5f, -1f, 2f, 3.25f});
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) { out.write(samplesCmdstan); }
        samplesGz = gz.toByteArray();
        checkpointV1 = versionOne(checkpoint);
        for (String p : Posteriors.names()) {
            try (InputStream in = ReaderFuzzTest.class.getResourceAsStream("/sivi/posteriordb/" + p + "/data.json")) {
                byte[] b = in.readAllBytes();
                if (b.length >= 100_000) continue;
                PDB_DATA.put(p, b);
                @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) Json.parse(new String(b, StandardCharsets.UTF_8));
                PDB_DECLARED.put(p, m);
            }
        }
    }

    @AfterAll static void cleanUp() throws IOException {
        long files = 0, other = 0;
        StringBuilder b = new StringBuilder("reader fuzz: calls / correct reads / documented errors / other outcomes");
        for (var e : COUNTS.entrySet()) {
            long[] n = e.getValue();
            b.append(String.format("%n  %-24s %9d %9d %9d %5d", e.getKey(), n[0], n[1], n[2], n[3]));
            if (!DERIVED.contains(e.getKey())) files += n[0];
            other += n[3];
        }
        System.out.println(b.append(String.format("%n  distinct inputs: %d; other outcomes: %d", files, other)));
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    // ---- the outcome contract ----

    /** Per reader: inputs, correct reads, documented errors, anything else (printed at the end; the goal is 0). */
    private static final Map<String, long[]> COUNTS = new java.util.TreeMap<>();
    private static long calls;
    /** Second reads of an input already counted (the same CSV without a header; each posteriordb variable). */
    private static final java.util.Set<String> DERIVED = java.util.Set.of("csv data (no header)", "posteriordb accessors");

    /** Runs a read; a documented error must be one short line naming no Java class; anything else fails the property. */
    @SafeVarargs
    static <T> T outcome(String reader, Callable<T> read, Class<? extends Throwable>... documented) {
        long[] n = COUNTS.computeIfAbsent(reader, k -> new long[4]);
        n[0]++;
        if (++calls % 100_000 == 0) System.out.println("reader fuzz: " + calls + " reader calls so far, " + java.time.Instant.now());   // long mode progress
        try {
            T v = read.call();
            n[1]++;
            return v;
        } catch (Throwable e) {
            for (Class<? extends Throwable> c : documented)
                if (c.isInstance(e)) { n[2]++; oneLine(e.getMessage()); return null; }
            n[3]++;
            throw new AssertionError("undocumented outcome " + e, e);
        }
    }

    static void oneLine(String m) {
        assertTrue(m != null && !m.isBlank(), "blank message");
        assertFalse(m.contains("\n") || m.contains("\r"), m);
        assertFalse(m.contains("java.") || m.contains("Exception"), "message leaks a Java class: " + m);
        assertTrue(m.length() <= 400 + dir.toString().length(), "message of " + m.length() + " chars: " + m);
    }

    private static Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(Thread.currentThread().threadId() + "-" + name), content);
    }

    // ---- inputs ----

    /** Tries per property (the long mode raises it). */
    static final int TRIES = Integer.getInteger("sivi.fuzz.tries", 500);
    private static final long SEED = 0x5151_F022L;

    /** Property {@code body} over {@code tries} seeded inputs; a failure names its try and seed. */
    private static void forAll(int tries, TryBody body) throws Exception {
        for (int i = 0; i < tries; i++) {
            long seed = SEED + i;
            try {
                body.run(new Random(seed));
            } catch (AssertionError e) {
                throw new AssertionError("try " + i + " (new Random(" + seed + ")): " + e.getMessage(), e);
            }
        }
    }

    @FunctionalInterface
    private interface TryBody { void run(Random r) throws Exception; }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(601)];
        r.nextBytes(b);
        return b;
    }

    private static byte[] mutant(List<byte[]> seeds, Random r) { return Mutator.mutate(seeds.get(r.nextInt(seeds.size())), r); }

    /** Four in five damaged valid files, one in five random bytes. */
    private static byte[] input(List<byte[]> seeds, Random r) { return r.nextInt(5) < 4 ? mutant(seeds, r) : randomBytes(r); }

    private static byte[] dataCsv(Random r) { return input(DATA_CSV, r); }

    private static byte[] samplesText(Random r) { return input(List.of(samplesCsv, samplesCmdstan, samplesGz), r); }

    private static byte[] npy(Random r) { return input(List.of(samplesNpy, samplesNpyF32), r); }

    private static byte[] checkpointInput(Random r) {
        // random bytes behind a valid magic reach the version and header checks
        return r.nextBoolean() ? mutant(List.of(checkpoint, checkpointV1), r) : concat("SIVITNSR".getBytes(StandardCharsets.US_ASCII), randomBytes(r));
    }

    private static byte[] json(Random r) { return input(List.of(summary, PDB_DATA.get("eight_schools-eight_schools_noncentered"), BASELINE), r); }

    // ---- the readers ----

    @Test void csvDataReadsOrFailsWithOneLine() throws Exception { forAll(TRIES, r -> csvData(dataCsv(r))); }

    private static void csvData(byte[] input) throws IOException {
        Path f = file("data.csv", input);
        for (Csv csv : List.of(HEADER, NO_HEADER)) {
            Table t = outcome(csv == HEADER ? "csv data" : "csv data (no header)", () -> csv.readFile(f), DataException.class);
            if (t == null) continue;
            assertTrue(t.rowCount() >= 1 && t.columnCount() >= 1, t.toString());
            assertEquals(t.columnCount(), new HashSet<>(t.columns()).size(), "duplicate column names " + t.columns());
            for (String c : t.columns()) assertFalse(c.isBlank(), "blank column name");
            for (double[] row : t.rows()) {
                assertEquals(t.columnCount(), row.length);
                for (double v : row) assertTrue(Double.isFinite(v), "non-finite cell " + v);
            }
        }
    }

    @Test void samplesFilesReadOrFailWithOneLine() throws Exception {
        forAll(TRIES, r -> {
            checkSamples(file("draws.csv", samplesText(r)));
            checkSamples(file("draws.npy", npy(r)));
        });
    }

    private static void checkSamples(Path f) {
        SampleIO.Samples s = outcome(f.toString().endsWith(".npy") ? "samples .npy" : "samples csv/cmdstan/gz", () -> SampleIO.read(f), Main.UserFailure.class);
        if (s == null) return;
        int n = s.draws().dim(0), d = s.draws().dim(1);
        assertTrue(n >= 1 && d >= 1, "empty draws " + n + "x" + d);
        assertEquals(d, s.names().size());
        assertEquals(d, new HashSet<>(s.names()).size(), "duplicate names " + s.names());
        for (String name : s.names()) assertFalse(name.isEmpty(), "empty column name");
        for (double v : s.draws().toDoubleArray()) assertTrue(Math.abs(v) <= SampleIO.MAX_ABS, "value " + v);
    }

    @Test void checkpointsReadIntactOrFailWithOneLine() throws Exception { forAll(TRIES, r -> checkpointRead(checkpointInput(r))); }

    private static void checkpointRead(byte[] input) throws IOException {
        Path f = file("checkpoint.bin", input);
        TensorFile.Contents c = outcome("checkpoint", () -> TensorFile.read(f), TensorFile.CorruptFileException.class);
        if (c == null) return;
        for (var e : c.arrays().entrySet()) assertEquals(sivi.tensor.Shapes.size(e.getValue().shape()), e.getValue().size(), e.getKey());
        // a version 2 file that reads passed every CRC-32C: its arrays are the ones written (collisions ~2^-32)
        if (input.length >= 12 && ByteBuffer.wrap(input, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() == 2) {
            assertEquals(checkpointArrays.keySet(), c.arrays().keySet());
            for (var e : checkpointArrays.entrySet()) {
                assertArrayEquals(e.getValue().shape(), c.arrays().get(e.getKey()).shape());
                assertArrayEquals(e.getValue().toDoubleArray(), c.arrays().get(e.getKey()).toDoubleArray(), 0.0);
            }
        }
    }

    @Test void jsonParsesToWhatItWritesOrFailsWithOneLine() throws Exception { forAll(TRIES, r -> jsonRead(json(r))); }

    private static void jsonRead(byte[] input) throws IOException {
        String text = new String(input, StandardCharsets.UTF_8);
        Path f = file("report.json", input);   // the other reader of our JSON files: bench compare's baseline
        Map<String, Double> ratios = outcome("bench baseline json", () -> sivi.bench.harness.BenchTool.readBaseline(f), IOException.class);
        if (ratios != null) for (double r : ratios.values()) assertTrue(Double.isFinite(r), "ratio " + r);
        Object v = outcome("json", () -> Json.parse(text), IllegalArgumentException.class);
        if (v == null) return;
        finite(v);
        assertEquals(v, Json.parse(Json.write(v)), "write/parse round trip");
    }

    private static void finite(Object v) {
        if (v instanceof Double d) assertTrue(Double.isFinite(d), "non-finite " + d);
        else if (v instanceof Map<?, ?> m) m.values().forEach(ReaderFuzzTest::finite);
        else if (v instanceof List<?> l) l.forEach(ReaderFuzzTest::finite);
    }

    /**
     * A damaged data.json of a bundled posterior, read with the sizes the original declares (every
     * variable by the accessor its original shape calls for): values of the declared length, or one line.
     */
    @Test void posteriordbDataReadsAtDeclaredSizesOrFailsWithOneLine() throws Exception {
        List<String> posteriors = List.copyOf(PDB_DATA.keySet());
        forAll(TRIES, r -> posteriordbData(posteriors.get(r.nextInt(posteriors.size())), r));
    }

    private static void posteriordbData(String posterior, Random r) {
        byte[] original = PDB_DATA.get(posterior);
        byte[] damaged = Mutator.mutate(original, r);
        Map<String, Object> declared = PDB_DECLARED.get(posterior);
        StanData d = outcome("posteriordb data.json", () -> StanData.parse(posterior, new String(damaged, StandardCharsets.UTF_8)), IllegalArgumentException.class);
        if (d == null) return;
        for (var e : declared.entrySet()) {
            String name = e.getKey();
            Object was = e.getValue();
            if (was instanceof Integer i) outcome("posteriordb accessors", () -> d.integer(name, Math.min(i, 0)), IllegalArgumentException.class);
            else if (was instanceof Number) outcome("posteriordb accessors", () -> finiteValue(d.real(name)), IllegalArgumentException.class);
            else if (was instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof List<?> row) {
                double[][] m = outcome("posteriordb accessors", () -> d.matrix(name, l.size(), row.size()), IllegalArgumentException.class);
                if (m != null) for (double[] mr : m) { assertEquals(row.size(), mr.length); for (double x : mr) finiteValue(x); }
            } else if (was instanceof List<?> l) {
                double[] v = outcome("posteriordb accessors", () -> d.vector(name, l.size()), IllegalArgumentException.class);
                if (v != null) { assertEquals(l.size(), v.length); for (double x : v) finiteValue(x); }
            }
        }
    }

    private static double finiteValue(double x) {
        assertTrue(Double.isFinite(x), "non-finite value " + x);
        return x;
    }

    // ---- end to end: exit 0, or exit 1 with one stderr line (warnings aside) ----

    private static void exitsCleanly(MainTest.Result r, String command) {
        long[] n = COUNTS.computeIfAbsent("cli " + command, k -> new long[4]);
        n[0]++;
        n[r.code() == 0 ? 1 : r.code() == 1 ? 2 : 3]++;
        assertTrue(r.code() == 0 || r.code() == 1, "exit " + r.code() + ": " + r.err());
        if (r.code() == 0) return;
        List<String> lines = new ArrayList<>(r.errLines());
        lines.removeIf(l -> l.startsWith("sivi: warning: "));
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("sivi " + command + ": "), r.err());
        assertFalse(lines.get(0).contains("--debug"), "an uncaught exception: " + r.err());
        oneLine(lines.get(0));
    }

    @Test void evalOfDamagedSamples() throws Exception {
        forAll(15, r -> {
            for (Path f : List.of(file("eval.csv", samplesText(r)), file("eval.npy", npy(r))))
                exitsCleanly(MainTest.run("eval", "--target", "banana", "--samples", f.toString(), "--seed", "1"), "eval");
        });
    }

    @Test void fitOnDamagedData() throws Exception { forAll(8, r -> fitOn(dataCsv(r))); }

    private static void fitOn(byte[] input) throws IOException {
        Path f = file("fit.csv", input), out = dir.resolve(Thread.currentThread().threadId() + "-fit-run");
        exitsCleanly(MainTest.run("fit", "--target", "lr-csv", "--data", f.toString(), "--response", "y", "--method", "advi",
                "--iterations", "3", "--draws", "5", "--quiet", "--no-plot", "--force", "--out", out.toString()), "fit");
    }

    @Test void sampleFromADamagedSummary() throws Exception { forAll(15, ReaderFuzzTest::sampleFromDamagedSummary); }

    private static void sampleFromDamagedSummary(Random r) throws IOException {
        Path run = dir.resolve(Thread.currentThread().threadId() + "-sample-run");
        Files.createDirectories(run);
        Files.write(run.resolve("checkpoint.bin"), checkpoint);
        Files.write(run.resolve("summary.json"), Mutator.mutate(summary, r));
        exitsCleanly(MainTest.run("sample", "--run", run.toString(), "--draws", "5", "--force", "--out", run.resolve("s.csv").toString()), "sample");
    }

    // ---- seed files ----

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A 1-D little-endian float32 .npy (the other branch of the reader). */
    private static byte[] npyF32(float[] v) {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + v.length + ",), }";
        header += " ".repeat(63 - (10 + header.length()) % 64) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        bb.put(header.getBytes(StandardCharsets.US_ASCII));
        for (float x : v) bb.putFloat(x);
        return bb.array();
    }

    /** The same checkpoint in the version 1 layout (no checksums), which readers still accept. */
    private static byte[] versionOne(byte[] v2) {
        ByteBuffer in = ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = in.getInt(12);
        String header = new String(v2, 16, headerLength, StandardCharsets.UTF_8).replaceAll(",\"crc32c\":[0-9]+", "");
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] data = java.util.Arrays.copyOfRange(v2, 16 + headerLength, v2.length - 4);
        ByteBuffer out = ByteBuffer.allocate(16 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(v2, 0, 8).putInt(1).putInt(h.length).put(h).put(data);
        return out.array();
    }
}
