package sivi.fit;

import sivi.data.DataException;
import sivi.data.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The checkpoint / saved-model format: magic "SIVITNSR", a version int, a UTF-8 JSON header
 * (metadata strings and, per array, name, dtype, shape and the CRC-32C of its data), the arrays'
 * data little-endian in header order, and last the CRC-32C of every byte before it. A reader
 * checks every array's checksum (so a damaged array is named) and then the file's (which also
 * covers the header and metadata): corruption is a {@link CorruptFileException}, never a silently
 * wrong resume. Version 1 files (no checksums, sessions 1–5) are still read. Written to a
 * temporary file, forced to disk and renamed, so a reader never sees half a file.
 */
public final class TensorFile {
    private TensorFile() {}

    private static final byte[] MAGIC = "SIVITNSR".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 2;
    private static final int PREAMBLE = MAGIC.length + 8;   // magic, version, header length

    /** Contents of a file: string metadata and named arrays. */
    public record Contents(Map<String, String> meta, Map<String, Tensor> arrays) {}

    /** A file that is not what it was when written: truncated, damaged, or not a sivi tensor file. */
    public static final class CorruptFileException extends IOException {
        public CorruptFileException(Path path, String what) { super("corrupt checkpoint " + path + ": " + what); }
    }

    public static void write(Path path, Map<String, String> meta, Map<String, Tensor> arrays) throws IOException {
        Map<String, byte[]> data = new LinkedHashMap<>();
        for (var e : arrays.entrySet()) data.put(e.getKey(), bytes(e.getValue()));
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
            h.append("{\"name\":").append(Json.quote(e.getKey())).append(",\"dtype\":\"").append(t.dtype().label()).append("\",\"shape\":")
                    .append(java.util.Arrays.toString(t.shape()).replace(" ", "")).append(",\"crc32c\":").append(crc(data.get(e.getKey()), 0, data.get(e.getKey()).length)).append('}');
        }
        h.append("]}");
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(MAGIC);
        out.write(intLE(VERSION));
        out.write(intLE(header.length));
        out.write(header);
        for (byte[] d : data.values()) out.write(d);
        byte[] body = out.toByteArray();
        out.write(intLE((int) crc(body, 0, body.length)));
        writeAtomically(path, out.toByteArray());
    }

    private static byte[] bytes(Tensor t) {
        ByteBuffer bb = ByteBuffer.allocate(t.size() * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.F32) for (float v : t.toFloatArray()) bb.putFloat(v);
        else for (double v : t.toDoubleArray()) bb.putDouble(v);
        return bb.array();
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return c.getValue();
    }

    /** Writes bytes to a temporary sibling file, forces them to disk, then renames it over the target. */
    public static void writeAtomically(Path path, byte[] bytes) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bb = ByteBuffer.wrap(bytes);
                while (bb.hasRemaining()) ch.write(bb);
                ch.force(true);   // the rename must never publish a file whose bytes are not yet on disk
            }
            try { // temp files are created owner-only; outputs get the usual rw-r--r--
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) { /* not a POSIX file system: keep the default */ }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Fails where {@link #writeAtomically} into {@code file} would, before any work is spent: the
     * path is a directory, a parent is a file, or the directory is not writable (probed by creating
     * and deleting a temporary file there). Creates missing parent directories. One-line message.
     */
    public static void checkWritable(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new IOException("cannot write to " + file + ": it is a directory");
        probe(file.toAbsolutePath().getParent(), file);
    }

    /** As {@link #checkWritable} for an output directory (created if missing). */
    public static void checkWritableDirectory(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IOException("cannot write to " + dir + ": it is a file");
        probe(dir.toAbsolutePath(), dir);
    }

    private static void probe(Path dir, Path shown) throws IOException {
        for (Path p = dir; p != null; p = p.getParent())
            if (Files.exists(p) && !Files.isDirectory(p)) throw new IOException("cannot write to " + shown + ": " + p + " is a file");
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".sivi-probe", ".tmp"));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("cannot write to " + shown + ": permission denied (" + e.getFile() + ")");
        } catch (IOException e) {
            throw new IOException("cannot write to " + shown + ": " + e.getMessage());
        }
    }

    public static Contents read(Path path) throws IOException {
        byte[] b = Files.readAllBytes(path);
        if (b.length < PREAMBLE) throw new CorruptFileException(path, "truncated (" + b.length + " bytes)");
        if (!java.util.Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) throw new CorruptFileException(path, "not a sivi tensor file (bad magic)");
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int version = in.getInt(MAGIC.length), headerLength = in.getInt(MAGIC.length + 4);
        if (version != 1 && version != VERSION) throw new CorruptFileException(path, "unsupported version " + version);
        int end = version == 1 ? b.length : b.length - 4;   // version 2 ends in the file's CRC-32C
        if (headerLength < 0 || headerLength > end - PREAMBLE) throw new CorruptFileException(path, "truncated or damaged header");
        Object root;
        try {
            root = Json.parse(new String(b, PREAMBLE, headerLength, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new CorruptFileException(path, "damaged header (" + e.getMessage() + ")");
        }
        // The header is checked field by field: a damaged one is named, never a ClassCastException.
        if (!(root instanceof Map<?, ?> r) || !(r.get("meta") instanceof Map<?, ?> m) || !(r.get("arrays") instanceof java.util.List<?> list))
            throw new CorruptFileException(path, "damaged header (no meta object or arrays list)");
        Map<String, String> meta = new LinkedHashMap<>();
        m.forEach((k, v) -> meta.put(String.valueOf(k), String.valueOf(v)));
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        int pos = PREAMBLE + headerLength;
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> a) || !(a.get("name") instanceof String name) || !(a.get("dtype") instanceof String dtype)
                    || !(a.get("shape") instanceof java.util.List<?> sh) || (version > 1 && !(a.get("crc32c") instanceof Number)))
                throw new CorruptFileException(path, "damaged header (array " + (arrays.size() + 1) + " lacks name, dtype, shape or checksum)");
            String shown = DataException.show(name);
            if (arrays.containsKey(name)) throw new CorruptFileException(path, "damaged header (array '" + shown + "' twice)");
            DType dt = dtype.equalsIgnoreCase("f32") ? DType.F32 : dtype.equalsIgnoreCase("f64") ? DType.F64 : null;
            if (dt == null) throw new CorruptFileException(path, "damaged header (array '" + shown + "' has dtype '" + DataException.show(dtype) + "')");
            int[] shape = new int[sh.size()];
            long size = 1;
            for (int k = 0; k < shape.length; k++) {
                if (!(sh.get(k) instanceof Integer dim) || dim < 0 || (size *= dim) > Integer.MAX_VALUE)
                    throw new CorruptFileException(path, "damaged header (array '" + shown + "' has an impossible shape)");
                shape[k] = dim;
            }
            long bytes = size * dt.bytes();
            if (bytes > end - pos) throw new CorruptFileException(path, "truncated: array '" + shown + "' needs " + bytes + " bytes, " + (end - pos) + " left");
            if (version > 1 && crc(b, pos, (int) bytes) != ((Number) a.get("crc32c")).longValue())
                throw new CorruptFileException(path, "array '" + shown + "' (" + dt.label() + " " + java.util.Arrays.toString(shape) + ") fails its CRC-32C check");
            ByteBuffer bb = ByteBuffer.wrap(b, pos, (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            int n = (int) size;
            if (dt == DType.F32) { float[] f = new float[n]; bb.asFloatBuffer().get(f); arrays.put(name, Tensor.wrap(f, shape)); }
            else { double[] d = new double[n]; bb.asDoubleBuffer().get(d); arrays.put(name, Tensor.wrap(d, shape)); }
            pos += (int) bytes;
        }
        if (pos != end) throw new CorruptFileException(path, (end - pos) + " bytes after the last array");
        if (version > 1 && crc(b, 0, end) != (in.getInt(end) & 0xFFFFFFFFL))
            throw new CorruptFileException(path, "header or metadata fail the file's CRC-32C check");
        return new Contents(meta, arrays);
    }

    private static byte[] intLE(int v) { return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array(); }
}
