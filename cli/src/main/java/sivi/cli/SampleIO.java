package sivi.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.data.DataException;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Draws (an N×d tensor with d parameter names) to and from files:
 * <ul>
 *   <li>CSV: a header of parameter names, one draw per row;</li>
 *   <li>CmdStan CSV: {@code #} comment lines with the configuration ArviZ's {@code from_cmdstan}
 *       reads (num_samples, num_warmup, save_warmup, thin), an {@code lp__} column (log p of the
 *       draw, unnormalised if the target is), indexed names in Stan's 1-based dot form
 *       ({@code w[3]} → {@code w.3});</li>
 *   <li>NPY v1.0: little-endian float64, C order, shape (N, d).</li>
 * </ul>
 * Readers accept CSV and CmdStan CSV (comment lines skipped, columns ending in {@code __} dropped) and .npy.
 */
final class SampleIO {
    private SampleIO() {}

    /** Draws read from a file: column names (for .npy, x1..xd) and an N×d F64 tensor. */
    record Samples(List<String> names, Tensor draws) {}

    /**
     * The draws in a format. A target with constrained outputs ({@link Target#outputNames}, e.g. a
     * Stan model) is written as those outputs; lp__ stays the log density of the target's own draws.
     */
    static byte[] encode(SampleFormat format, List<String> names, Tensor draws, Target target, Map<String, String> comments) {
        List<String> outNames = names;
        Tensor out = draws;
        if (!target.outputNames().equals(target.names())) {
            outNames = target.outputNames();
            out = target.constrain(draws);
        }
        return switch (format) {
            case CSV -> csv(outNames, out, null, Map.of()).getBytes(StandardCharsets.UTF_8);
            case CMDSTAN -> csv(stanNames(outNames), out, logDensity(target, draws), comments).getBytes(StandardCharsets.UTF_8);
            case NPY -> npy(out);
        };
    }

    private static String csv(List<String> names, Tensor draws, double[] lp, Map<String, String> comments) {
        int n = draws.dim(0), d = draws.dim(1);
        StringBuilder b = new StringBuilder(n * d * 12 + 256);
        comments.forEach((k, v) -> b.append("# ").append(k).append(" = ").append(v).append('\n'));
        List<String> header = new ArrayList<>();
        if (lp != null) header.add("lp__");
        names.forEach(s -> header.add(quote(s)));
        b.append(String.join(",", header)).append('\n');
        boolean f32 = draws.dtype() == DType.F32;
        double[] v = draws.toDoubleArray();
        for (int i = 0; i < n; i++) {
            if (lp != null) b.append(lp[i]).append(',');
            for (int j = 0; j < d; j++) {
                if (j > 0) b.append(',');
                double x = v[i * d + j];
                // f32 draws print in their shortest float form, so the file does not suggest false precision
                b.append(f32 ? Float.toString((float) x) : Double.toString(x));
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static double[] logDensity(Target target, Tensor draws) {
        return GradMode.noGrad(() -> target.logDensity(Var.constant(draws)).value().toDoubleArray());
    }

    private static final Pattern INDEXED = Pattern.compile("([^\\[\\]]+)\\[([0-9]{1,9}(?:\\s*,\\s*[0-9]{1,9})*)]");   // indices below 1e9 fit an int

    /** Stan's column names: {@code base[i,j]} → {@code base.i.j}, shifted to 1-based if a base uses index 0. */
    static List<String> stanNames(List<String> names) {
        Map<String, Integer> minIndex = new HashMap<>();
        for (String s : names) {
            Matcher m = INDEXED.matcher(s);
            if (m.matches()) for (String i : m.group(2).split(",")) minIndex.merge(m.group(1), Integer.parseInt(i.trim()), Math::min);
        }
        List<String> out = new ArrayList<>();
        for (String s : names) {
            Matcher m = INDEXED.matcher(s);
            if (!m.matches()) { out.add(s.replace(',', '_').replace('.', '_')); continue; }
            int shift = minIndex.get(m.group(1)) == 0 ? 1 : 0;
            StringBuilder b = new StringBuilder(m.group(1).replace('.', '_'));
            for (String i : m.group(2).split(",")) b.append('.').append(Integer.parseInt(i.trim()) + shift);
            out.add(b.toString());
        }
        return out;
    }

    /** NPY v1.0: magic, version 1.0, a uint16 header length, a Python-dict header padded so the data starts at a multiple of 64. */
    static byte[] npy(Tensor draws) {
        int n = draws.dim(0), d = draws.dim(1);
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + n + ", " + d + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + 8 * n * d).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        bb.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (double v : draws.toDoubleArray()) bb.putDouble(v);
        return bb.array();
    }

    /** Largest magnitude a draw may have: the metrics square distances, and (1e150)² is still finite. */
    static final double MAX_ABS = 1e150;

    /**
     * Draws to evaluate: every value must be finite and at most {@link #MAX_ABS} in magnitude, or the
     * metrics would silently come out as a mix of null and numbers; the error names draw and column.
     */
    static Samples read(Path file) throws IOException {
        Samples s = SampleFormat.fromFileName(file) == SampleFormat.NPY ? readNpy(file) : readCsv(file);
        int d = s.names().size();
        double[] v = s.draws().toDoubleArray();
        for (int i = 0; i < v.length; i++)
            if (!(Math.abs(v[i]) <= MAX_ABS))
                throw new Main.UserFailure(file + ": draw " + (i / d + 1) + ", column '" + DataException.show(s.names().get(i % d)) + "': " + v[i]
                        + (Double.isFinite(v[i]) ? " is too large to evaluate (|value| > 1e150: its square overflows)" : " is not a finite number"));
        return s;
    }

    /** The lines of a text file, gunzipped when it starts with the gzip magic bytes (e.g. reference.csv.gz). */
    static List<String> readLines(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            // a damaged or truncated stream fails with ZipException or EOFException: both mean a bad file
            try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw))) { raw = in.readAllBytes(); }
            catch (IOException e) { throw new Main.UserFailure(file + ": not a valid gzip file (" + (e instanceof java.io.EOFException ? "truncated" : e.getMessage()) + ")"); }
        }
        return new String(raw, StandardCharsets.UTF_8).lines().toList();
    }

    static Samples readCsv(Path file) throws IOException {
        List<String> lines = readLines(file);
        List<String> names = null;
        boolean[] keep = null;
        List<double[]> rows = new ArrayList<>();
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<String> cells = splitCsv(line);
            if (names == null) {
                names = new ArrayList<>();
                java.util.Set<String> seen = new java.util.HashSet<>();
                keep = new boolean[cells.size()];
                for (int j = 0; j < cells.size(); j++) {
                    String name = cells.get(j);
                    if (!(keep[j] = !name.endsWith("__"))) continue;
                    if (name.isEmpty()) throw new Main.UserFailure(file + ":" + (ln + 1) + ": column " + (j + 1) + " has an empty name");
                    if (!seen.add(name)) throw new Main.UserFailure(file + ":" + (ln + 1) + ": column name '" + DataException.show(name) + "' appears twice");
                    names.add(name);
                }
                continue;
            }
            if (cells.size() != keep.length)
                throw new Main.UserFailure(file + ":" + (ln + 1) + ": expected " + keep.length + " values (one per header column), found " + cells.size());
            double[] row = new double[names.size()];
            for (int j = 0, k = 0; j < cells.size(); j++) {
                if (!keep[j]) continue;
                try { row[k] = parseNumber(cells.get(j)); }
                catch (NumberFormatException e) { throw new Main.UserFailure(file + ":" + (ln + 1) + ": column '" + DataException.show(names.get(k)) + "': '" + DataException.show(cells.get(j)) + "' is not a number"); }
                k++;
            }
            rows.add(row);
        }
        if (names == null || names.isEmpty()) throw new Main.UserFailure(file + ": no header line with parameter names");
        if (rows.isEmpty()) throw new Main.UserFailure(file + ": header but no draws");
        double[] flat = new double[rows.size() * names.size()];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, flat, i * names.size(), names.size());
        return new Samples(names, Tensor.wrap(flat, rows.size(), names.size()));
    }

    /** Numbers as CmdStan writes them too (inf, -inf, NaN). */
    private static double parseNumber(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { cur.append('"'); i++; }
                else if (c == '"') quoted = false;
                else cur.append(c);
            } else if (c == '"') quoted = true;
            else if (c == ',') { out.add(cur.toString().strip()); cur.setLength(0); }
            else cur.append(c);
        }
        out.add(cur.toString().strip());
        return out;
    }

    static Samples readNpy(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < 10 || (all[0] & 0xff) != 0x93 || !new String(all, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY"))
            throw new Main.UserFailure(file + ": not a .npy file (bad magic)");
        int major = all[6];
        int headerLen, start;
        if (major == 1) { headerLen = Short.toUnsignedInt(bb.getShort(8)); start = 10; }
        else if ((major == 2 || major == 3) && all.length >= 12) { headerLen = bb.getInt(8); start = 12; }
        else throw new Main.UserFailure(file + ": unsupported .npy version " + major);
        if (headerLen < 0 || headerLen > all.length - start) throw new Main.UserFailure(file + ": truncated .npy header");
        String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher descr = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([fi])(\\d)'").matcher(header);
        Matcher shape = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)").matcher(header);
        if (!descr.find() || !shape.find()) throw new Main.UserFailure(file + ": .npy header without descr/shape: " + DataException.show(header.strip()));
        if (header.contains("'fortran_order': True")) throw new Main.UserFailure(file + ": Fortran-order .npy is not supported (save with np.ascontiguousarray)");
        if (descr.group(1).equals(">") || !descr.group(2).equals("f") || !(descr.group(3).equals("8") || descr.group(3).equals("4")))
            throw new Main.UserFailure(file + ": .npy dtype must be little-endian float64 or float32, found " + descr.group(1) + descr.group(2) + descr.group(3));
        List<Integer> dims = new ArrayList<>();
        for (String s : shape.group(1).split(",")) {
            if (s.isBlank()) continue;
            if (!s.strip().matches("[0-9]{1,9}")) throw new Main.UserFailure(file + ": .npy shape (" + DataException.show(shape.group(1)) + ") is not a tuple of sizes");
            dims.add(Integer.parseInt(s.strip()));
        }
        if (dims.size() != 1 && dims.size() != 2) throw new Main.UserFailure(file + ": .npy draws must be 1-D or 2-D, shape is " + dims);
        int n = dims.get(0), d = dims.size() == 2 ? dims.get(1) : 1;
        if (n == 0 || d == 0) throw new Main.UserFailure(file + ": .npy holds no draws (shape " + dims + ")");
        int width = Integer.parseInt(descr.group(3));
        int dataStart = start + headerLen;
        // sizes below 1e9 each: the long product cannot overflow, and the file must hold every value before we allocate
        if (all.length - dataStart < (long) n * d * width) throw new Main.UserFailure(file + ": truncated .npy data");
        double[] v = new double[n * d];
        for (int i = 0; i < v.length; i++) v[i] = width == 8 ? bb.getDouble(dataStart + 8 * i) : bb.getFloat(dataStart + 4 * i);
        List<String> names = new ArrayList<>();
        for (int j = 0; j < d; j++) names.add("x" + (j + 1));
        return new Samples(names, Tensor.wrap(v, n, d));
    }
}
