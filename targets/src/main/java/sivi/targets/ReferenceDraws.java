package sivi.targets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import sivi.data.DataException;

/**
 * Cached ground-truth draws of a target (long NUTS runs, written by {@link MakeReference}), stored as
 * the classpath resource {@code sivi/reference/<target>.csv}: lines starting with '#' are comments
 * (the command that made the file, R-hat, ESS), then a header with the parameter names, then one
 * draw per line.
 *
 * <p>As implemented: docs/targets.md#reference-draws.
 *
 * @param target   the target name
 * @param names    parameter names (d)
 * @param draws    [S][d]
 * @param comments the '#' lines, without the '#'
 */
public record ReferenceDraws(String target, List<String> names, double[][] draws, List<String> comments) {

    public ReferenceDraws { names = List.copyOf(names); comments = List.copyOf(comments); }

    public static String resource(String target) { return "sivi/reference/" + target + ".csv"; }

    /** The shipped draws of a target, if any. */
    public static Optional<ReferenceDraws> load(String target) {
        InputStream in = ReferenceDraws.class.getClassLoader().getResourceAsStream(resource(target));
        if (in == null) return Optional.empty();
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return Optional.of(parse(target, "classpath:" + resource(target), r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a file written by {@link #write}. */
    public static ReferenceDraws read(String target, Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(target, file.toString(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ReferenceDraws parse(String target, String source, Reader reader) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        List<String> comments = new ArrayList<>();
        List<String> names = null;
        List<double[]> rows = new ArrayList<>();
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.startsWith("#")) { comments.add(line.substring(1).strip()); continue; }
            if (line.isBlank()) continue;
            String[] f = line.split(",");
            if (names == null) { names = List.of(f); continue; }
            if (f.length != names.size()) throw new DataException(source + ":" + lineNo + ": " + f.length + " fields, expected " + names.size());
            double[] row = new double[f.length];
            for (int c = 0; c < f.length; c++) {
                try {
                    row[c] = Double.parseDouble(f[c]);
                } catch (NumberFormatException e) {
                    throw new DataException(source + ":" + lineNo + ": column " + (c + 1) + ": not a number: '" + f[c] + "'");
                }
            }
            rows.add(row);
        }
        if (names == null || rows.isEmpty()) throw new DataException(source + ": no draws");
        return new ReferenceDraws(target, names, rows.toArray(new double[0][]), comments);
    }

    /**
     * Writes comments, header and draws. Draws are rounded to float (about 7 significant digits,
     * halving the file); that error is far below the Monte Carlo error of any summary of them.
     */
    public void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String c : comments) b.append("# ").append(c).append('\n');
        b.append(String.join(",", names)).append('\n');
        for (double[] row : draws) {
            for (int c = 0; c < row.length; c++) { if (c > 0) b.append(','); b.append((float) row[c]); }
            b.append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, b);
    }

    public int dim() { return names.size(); }

    /** Per-coordinate means. */
    public double[] mean() {
        double[] m = new double[dim()];
        for (double[] r : draws) for (int i = 0; i < m.length; i++) m[i] += r[i] / draws.length;
        return m;
    }

    /** Per-coordinate sds (denominator S − 1). */
    public double[] sd() {
        double[] m = mean(), v = new double[dim()];
        for (double[] r : draws) for (int i = 0; i < v.length; i++) v[i] += (r[i] - m[i]) * (r[i] - m[i]);
        for (int i = 0; i < v.length; i++) v[i] = Math.sqrt(v[i] / (draws.length - 1));
        return v;
    }
}
