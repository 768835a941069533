package sivi.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.tensor.Tensor;

class TensorFileTest {
    @TempDir Path tmp;

    private Path small() throws IOException {
        Map<String, Tensor> a = new LinkedHashMap<>();
        a.put("phi.w0", Tensor.wrap(new float[] {2e-20f, -1.5f, 3f, 0f, 7.25f, -0f}, 2, 3));
        a.put("log_sigma", Tensor.wrap(new double[] {-1.0, 0.5}, 2));
        a.put("empty", Tensor.wrap(new double[0], 0, 4));
        Path p = tmp.resolve("checkpoint.bin");
        TensorFile.write(p, Map.of("iteration", "200", "method", "ksivi"), a);
        return p;
    }

    @Test void roundTripKeepsEveryBitAndTheOrder() throws IOException {
        TensorFile.Contents c = TensorFile.read(small());
        assertEquals(Map.of("iteration", "200", "method", "ksivi"), c.meta());
        assertEquals(java.util.List.of("phi.w0", "log_sigma", "empty"), java.util.List.copyOf(c.arrays().keySet()));
        assertArrayEquals(new float[] {2e-20f, -1.5f, 3f, 0f, 7.25f, -0f}, c.arrays().get("phi.w0").toFloatArray());
        assertArrayEquals(new int[] {2, 3}, c.arrays().get("phi.w0").shape());
        assertArrayEquals(new double[] {-1.0, 0.5}, c.arrays().get("log_sigma").toDoubleArray());
        assertArrayEquals(new int[] {0, 4}, c.arrays().get("empty").shape());
    }

    /** CRC-32C detects every error confined to 32 consecutive bits, so every single-byte change must be reported. */
    @Test void everyChangedByteIsReportedAsCorruption() throws IOException {
        Path p = small();
        byte[] good = Files.readAllBytes(p);
        for (int i = 0; i < good.length; i++)
            for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) mask;
                Files.write(p, bad);
                int at = i;
                var e = assertThrows(TensorFile.CorruptFileException.class, () -> TensorFile.read(p), () -> "byte " + at + " ^ " + mask + " was not detected");
                assertTrue(e.getMessage().startsWith("corrupt checkpoint " + p + ": "), e.getMessage());
            }
    }

    @Test void aDamagedArrayIsNamed() throws IOException {
        Path p = small();
        byte[] b = Files.readAllBytes(p);
        b[b.length - 4 - 8] ^= 0x40;   // inside log_sigma's data (the last 16 data bytes before the file CRC; the empty array has none)
        Files.write(p, b);
        var e = assertThrows(TensorFile.CorruptFileException.class, () -> TensorFile.read(p));
        assertTrue(e.getMessage().contains("array 'log_sigma' (f64 [2]) fails its CRC-32C check"), e.getMessage());
    }

    @Test void everyTruncationIsReportedAsCorruption() throws IOException {
        Path p = small();
        byte[] good = Files.readAllBytes(p);
        for (int n = 0; n < good.length; n++) {
            Files.write(p, java.util.Arrays.copyOf(good, n));
            int len = n;
            assertThrows(TensorFile.CorruptFileException.class, () -> TensorFile.read(p), () -> "truncation to " + len + " bytes was not detected");
        }
    }

    @Test void versionOneFilesWithoutChecksumsAreStillRead() throws IOException {
        byte[] header = "{\"meta\":{\"iteration\":\"7\"},\"arrays\":[{\"name\":\"x\",\"dtype\":\"f64\",\"shape\":[2]}]}".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("SIVITNSR".getBytes(StandardCharsets.US_ASCII));
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(header.length).array());
        out.write(header);
        out.write(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-2).array());
        Path p = tmp.resolve("v1.bin");
        Files.write(p, out.toByteArray());
        TensorFile.Contents c = TensorFile.read(p);
        assertEquals("7", c.meta().get("iteration"));
        assertArrayEquals(new double[] {1.5, -2}, c.arrays().get("x").toDoubleArray());
    }

    @Test void writingLeavesNoTemporaryFile() throws IOException {
        small();
        try (var s = Files.list(tmp)) { assertEquals(java.util.List.of("checkpoint.bin"), s.map(x -> x.getFileName().toString()).toList()); }
    }

    /** A version 1 file (no checksums) with a damaged header: a CorruptFileException naming the field, no Java class in the message. */
    @Test void damagedVersionOneHeadersAreNamedWithoutJavaClassNames() throws IOException {
        String[] headers = {"[]", "{\"meta\":1,\"arrays\":[]}", "{\"meta\":{},\"arrays\":[7]}",
                "{\"meta\":{},\"arrays\":[{\"name\":\"a\",\"dtype\":\"f32\",\"shape\":[-1]}]}",
                "{\"meta\":{},\"arrays\":[{\"name\":\"a\",\"dtype\":\"f32\",\"shape\":[65536,65536,65536,65536,16]}]}",
                "{\"meta\":{},\"arrays\":[{\"name\":\"a\",\"dtype\":\"f32\",\"shape\":[1e3]}]}",
                "{\"meta\":{},\"arrays\":[{\"name\":\"a\",\"dtype\":\"f16\",\"shape\":[1]}]}",
                "{\"meta\":{},\"arrays\":[{\"name\":\"a\",\"dtype\":\"f32\",\"shape\":[]},{\"name\":\"a\",\"dtype\":\"f32\",\"shape\":[]}]}",
                "{\"meta\":{},\"arrays\":[{\"name\":\"a\",\"dtype\":\"f32\",\"shape\":[1]}"};
        for (String h : headers) {
            byte[] header = h.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(16 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            b.put("SIVITNSR".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(header.length).put(header);
            Path p = Files.write(tmp.resolve("v1.bin"), b.array());
            String m = assertThrows(TensorFile.CorruptFileException.class, () -> TensorFile.read(p)).getMessage();
            assertTrue(m.startsWith("corrupt checkpoint " + p + ": ") && !m.contains("java.") && !m.contains("Exception"), h + " -> " + m);
        }
    }
}
