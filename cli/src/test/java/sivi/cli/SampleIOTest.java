package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.targets.Targets;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

class SampleIOTest {
    @TempDir Path tmp;

    static final Tensor DRAWS = Tensor.of(DType.F64, new double[] {0.1, -2.5, 1e-300, 3.0, Math.PI, -0.0}, 3, 2);

    @Test void npyIsVersion1LittleEndianFloat64With64ByteAlignedData() throws Exception {
        byte[] b = SampleIO.npy(DRAWS);
        assertEquals(0x93, b[0] & 0xff);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, b[6]);
        assertEquals(0, b[7]);
        int headerLen = ByteBuffer.wrap(b, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        assertEquals(0, (10 + headerLen) % 64);
        String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + headerLen + 8 * 6, b.length);
    }

    @Test void npyRoundTripsBitForBit() throws Exception {
        Path f = tmp.resolve("d.npy");
        Files.write(f, SampleIO.npy(DRAWS));
        SampleIO.Samples s = SampleIO.read(f);
        assertArrayEquals(DRAWS.shape(), s.draws().shape());
        assertArrayEquals(DRAWS.toDoubleArray(), s.draws().toDoubleArray());
        assertEquals(List.of("x1", "x2"), s.names());
    }

    @Test void csvRoundTripsBitForBitInF64() throws Exception {
        Path f = tmp.resolve("d.csv");
        Files.write(f, SampleIO.encode(SampleFormat.CSV, List.of("a", "b,c"), DRAWS, Targets.banana(), Map.of()));
        SampleIO.Samples s = SampleIO.read(f);
        assertEquals(List.of("a", "b,c"), s.names());
        assertArrayEquals(DRAWS.toDoubleArray(), s.draws().toDoubleArray());
    }

    @Test void cmdstanHasCommentsLpColumnAndReadsBackWithoutIt() throws Exception {
        Path f = tmp.resolve("d.csv");
                java.util.LinkedHashMap<String, String> meta = new java.util.LinkedHashMap<>(); // ordered: Map.of's order varies per JVM
        meta.put("num_samples", "3");
        meta.put("thin", "1");
        Files.write(f, SampleIO.encode(SampleFormat.CMDSTAN, List.of("x1", "x2"), DRAWS, Targets.banana(), meta));
        List<String> lines = Files.readAllLines(f);
        assertEquals("# num_samples = 3", lines.get(0));
        assertEquals("lp__,x1,x2", lines.get(2));
        double lp = Double.parseDouble(lines.get(3).split(",")[0]);
        double want = Targets.banana().logDensity(sivi.autodiff.Var.constant(DRAWS.slice(0, 0, 1))).value().item();
        assertEquals(want, lp, 1e-12);
        SampleIO.Samples s = SampleIO.read(f);
        assertEquals(List.of("x1", "x2"), s.names());
        assertArrayEquals(DRAWS.toDoubleArray(), s.draws().toDoubleArray());
    }

    @Test void stanNamesAreOneBasedDotIndexed() {
        assertEquals(List.of("w.1", "w.2", "b", "m.1.2"), SampleIO.stanNames(List.of("w[0]", "w[1]", "b", "m[1,2]")));
        assertEquals(List.of("w.1", "w.2"), SampleIO.stanNames(List.of("w[1]", "w[2]")));
    }

    @Test void f32DrawsPrintInShortestFloatForm() {
        Tensor f = Tensor.of(DType.F32, new double[] {0.1, 0.2}, 1, 2);
        String csv = new String(SampleIO.encode(SampleFormat.CSV, List.of("a", "b"), f, Targets.banana(), Map.of()), StandardCharsets.UTF_8);
        assertEquals("a,b\n0.1,0.2\n", csv);
    }

    private static String fails(Path f) {
        String m = assertThrows(Main.UserFailure.class, () -> SampleIO.read(f)).getMessage();
        assertTrue(!m.contains("\n") && !m.contains("java.") && !m.contains("Exception") && m.length() < 300, m);
        return m;
    }

    /** A v1 .npy of four float64 values whose header declares {@code shape}. */
    private static byte[] npyWithShape(String shape) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
        String header = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + 32).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        return bb.put(header.getBytes(StandardCharsets.US_ASCII)).array();
    }

    /** Damaged .npy headers the reader fuzz suite produced: one line each, never an exception from the JDK. */
    @Test void damagedNpyHeadersAreOneLineErrors() throws Exception {
        assertEquals(2, SampleIO.read(Files.write(tmp.resolve("ok.npy"), npyWithShape("(2, 2)"))).draws().dim(0));
        for (String shape : List.of("(-1, 2)", "(99999999999, 2)", "(0, 2)", "(2x, 2)", "(1073741824, 1073741824)"))
            fails(Files.write(tmp.resolve("bad.npy"), npyWithShape(shape)));
        byte[] longHeader = npyWithShape("(2, 2)");
        longHeader[9] = (byte) 0x7f;   // header length beyond the file
        assertTrue(fails(Files.write(tmp.resolve("long.npy"), longHeader)).contains("truncated .npy header"));
    }

    @Test void truncatedGzipAndBadColumnNamesAreOneLineErrors() throws Exception {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) { out.write("x1,x2\n1,2\n".getBytes(StandardCharsets.UTF_8)); }
        byte[] cut = java.util.Arrays.copyOf(gz.toByteArray(), gz.size() - 12);
        assertTrue(fails(Files.write(tmp.resolve("cut.csv.gz"), cut)).contains("not a valid gzip file (truncated)"));
        assertTrue(fails(Files.writeString(tmp.resolve("dup.csv"), "a,b,a\n1,2,3\n")).contains("column name 'a' appears twice"));
        assertTrue(fails(Files.writeString(tmp.resolve("empty.csv"), "a,,b\n1,2,3\n")).contains("column 2 has an empty name"));
        assertTrue(fails(Files.writeString(tmp.resolve("junk.csv"), "a\n\u0000" + "q".repeat(3000) + "\n")).contains("…' is not a number"));
    }

    @Test void hugeStanIndicesAreNotParsedAsInts() {
        assertEquals(List.of("w[99999999999]"), SampleIO.stanNames(List.of("w[99999999999]")));   // left as it is, not an int overflow
    }
}
