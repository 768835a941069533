package sivi.fit;

import sivi.data.Json;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The checkpoint / saved-model format: magic "SIVITNSR", a version int, a UTF-8 JSON-like header
 * (metadata strings and, per array, name, dtype and shape), then the arrays' data little-endian
 * in header order. Written to a temporary file and renamed, so a reader never sees half a file.
 */
public final class TensorFile {
    private TensorFile() {}

    private static final byte[] MAGIC = "SIVITNSR".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    /** Contents of a file: string metadata and named arrays. */
    public record Contents(Map<String, String> meta, Map<String, Tensor> arrays) {}

    public static void write(Path path, Map<String, String> meta, Map<String, Tensor> arrays) throws IOException {
        StringBuilder h = new StringBuilder("{\"meta\":{");
        boolean first = true;
        for (var e : meta.entrySet()) {
            if (!first) h.append(',');
            first = false;
            h.append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
        }
        h.append("},\"arrays\":[");
        first = true;
        for (var e : arrays.entrySet()) {
            if (!first) h.append(',');
            first = false;
            Tensor t = e.getValue();
            h.append("{\"name\":").append(Json.quote(e.getKey())).append(",\"dtype\":\"").append(t.dtype().label()).append("\",\"shape\":").append(java.util.Arrays.toString(t.shape()).replace(" ", "")).append('}');
        }
        h.append("]}");
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(MAGIC);
        out.write(intLE(VERSION));
        out.write(intLE(header.length));
        out.write(header);
        for (Tensor t : arrays.values()) {
            ByteBuffer bb = ByteBuffer.allocate(t.size() * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
            if (t.dtype() == DType.F32) for (float v : t.toFloatArray()) bb.putFloat(v);
            else for (double v : t.toDoubleArray()) bb.putDouble(v);
            out.write(bb.array());
        }
        writeAtomically(path, out.toByteArray());
    }

    /** Writes bytes to a temporary sibling file, then renames it over the target. */
    public static void writeAtomically(Path path, byte[] bytes) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try { // temp files are created owner-only; outputs get the usual rw-r--r--
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) { /* not a POSIX file system: keep the default */ }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static Contents read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            DataInputStream din = new DataInputStream(in);
            byte[] magic = new byte[MAGIC.length];
            din.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException(path + ": not a sivi tensor file (bad magic)");
            int version = readIntLE(din);
            if (version != VERSION) throw new IOException(path + ": unsupported version " + version);
            byte[] header = new byte[readIntLE(din)];
            din.readFully(header);
            Object parsed = Json.parse(new String(header, StandardCharsets.UTF_8));
            @SuppressWarnings("unchecked") Map<String, Object> root = (Map<String, Object>) parsed;
            Map<String, String> meta = new LinkedHashMap<>();
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) root.get("meta");
            m.forEach((k, v) -> meta.put(k, String.valueOf(v)));
            Map<String, Tensor> arrays = new LinkedHashMap<>();
            @SuppressWarnings("unchecked") java.util.List<Object> list = (java.util.List<Object>) root.get("arrays");
            for (Object o : list) {
                @SuppressWarnings("unchecked") Map<String, Object> a = (Map<String, Object>) o;
                DType dt = DType.parse((String) a.get("dtype"));
                @SuppressWarnings("unchecked") java.util.List<Object> sh = (java.util.List<Object>) a.get("shape");
                int[] shape = sh.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
                int n = sivi.tensor.Shapes.size(shape);
                byte[] data = new byte[n * dt.bytes()];
                din.readFully(data);
                ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                if (dt == DType.F32) { float[] f = new float[n]; bb.asFloatBuffer().get(f); arrays.put((String) a.get("name"), Tensor.wrap(f, shape)); }
                else { double[] d = new double[n]; bb.asDoubleBuffer().get(d); arrays.put((String) a.get("name"), Tensor.wrap(d, shape)); }
            }
            return new Contents(meta, arrays);
        } catch (java.io.EOFException e) {
            throw new IOException(path + ": truncated file", e);
        }
    }

    private static byte[] intLE(int v) { return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array(); }

    private static int readIntLE(DataInputStream in) throws IOException {
        byte[] b = new byte[4];
        in.readFully(b);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
