package sivi.posteriordb;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import sivi.data.DataException;
import sivi.kernels.Rng;
import sivi.mcmc.Diagnostics;
import sivi.mcmc.LogDensityGradient;
import sivi.mcmc.McmcResult;
import sivi.mcmc.Nuts;
import sivi.targets.McmcAdapter;
import sivi.targets.Target;
import sivi.tensor.Tensor;

/**
 * Reference draws of a posterior, on the constrained scale under Stan's names: the bundled posteriordb
 * draws ({@code reference.csv.gz}, 14 posteriors) or, for the others, the project's NUTS run once and
 * cached in a directory (4 chains × (1000 warm-up + 1000 draws), Stan's defaults; seed {@value #NUTS_SEED}).
 * A cached run carries its max R-hat (rank-normalised, over outputs) and divergence count in comment lines.
 */
public final class References {
    private References() {}

    public static final long NUTS_SEED = 20261206;
    /** A cached NUTS run with an R-hat at or above this is not used as a reference. */
    public static final double RHAT_LIMIT = 1.01;

    /**
     * Reference draws (rows × outputs) and where they come from.
     *
     * @param source      "posteriordb" (bundled draws) or "nuts" (cached NUTS run)
     * @param rhatMax     max R-hat over outputs of the NUTS run (NaN for posteriordb draws)
     * @param divergences NUTS divergences after warm-up (0 for posteriordb draws)
     * @param file        where the draws were read from
     */
    public record Reference(String source, List<String> names, double[][] draws, double rhatMax, int divergences, double seconds, String file) {
        /** Null when usable, else why not. */
        public String refusal() {
            return source.equals("nuts") && !(rhatMax < RHAT_LIMIT)
                    ? String.format(Locale.ROOT, "NUTS reference R-hat %.4f >= %.2f (%s)", rhatMax, RHAT_LIMIT, file) : null;
        }
    }

    /** The bundled posteriordb reference draws of a posterior, if it has them ({@code *__} columns dropped). */
    public static Optional<Reference> bundled(String posterior) {
        String res = StanData.ROOT + posterior + "/reference.csv.gz";
        InputStream in = References.class.getResourceAsStream(res);
        if (in == null) return Optional.empty();
        try (InputStream g = new GZIPInputStream(in)) {
            Csv c = Csv.read(g, "classpath:" + res);
            return Optional.of(new Reference("posteriordb", c.names, c.rows, Double.NaN, 0, Double.NaN, "classpath:" + res));
        } catch (IOException e) {
            throw new IllegalStateException("posteriordb " + posterior + ": cannot read " + res + ": " + e.getMessage(), e);
        }
    }

    /** The cache file of a posterior's NUTS reference. */
    public static Path cacheFile(Path cacheDir, String posterior) { return cacheDir.resolve(posterior + ".nuts.csv.gz"); }

    /**
     * The bundled draws, else the cached NUTS run, else a NUTS run now (written to the cache). The
     * caller checks {@link Reference#refusal()}.
     */
    public static Reference of(String posterior, Target target, Path cacheDir, int threads) throws IOException {
        Optional<Reference> b = bundled(posterior);
        if (b.isPresent()) return b.get();
        Path f = cacheFile(cacheDir, posterior);
        if (Files.exists(f)) return readCache(f);
        Reference r = runNuts(target, Nuts.defaults().withThreads(threads), f.toString());
        writeCache(f, r);
        return r;
    }

    /** NUTS from Stan-style initial points; outputs constrained; R-hat over outputs. */
    public static Reference runNuts(Target t, Nuts nuts, String file) {
        long t0 = System.nanoTime();
        LogDensityGradient density = McmcAdapter.of(t);
        Rng rng = Rng.of(NUTS_SEED, 1);
        McmcResult r = nuts.sample(density, inits(density, nuts.chains(), rng), rng);
        double secs = (System.nanoTime() - t0) / 1e9;
        List<String> out = t.outputNames();
        int w = out.size(), c = r.chains(), n = r.drawsPerChain();
        double[][][] y = new double[w][c][n];
        double[][] pooled = new double[c * n][];
        for (int k = 0; k < c; k++) {
            double[] v = t.constrain(Tensor.matrix(r.draws()[k])).toDoubleArray();
            for (int i = 0; i < n; i++) {
                pooled[k * n + i] = Arrays.copyOfRange(v, i * w, (i + 1) * w);
                for (int j = 0; j < w; j++) y[j][k][i] = v[i * w + j];
            }
        }
        double rhatMax = 0;
        for (int j = 0; j < w; j++) rhatMax = Math.max(rhatMax, Diagnostics.rhat(y[j]));
        return new Reference("nuts", out, pooled, rhatMax, r.divergences(), secs, file);
    }

    /** Stan's initialisation: uniform in [−2, 2]^d on the unconstrained space, redrawn (up to 100 times) until log p and its gradient are finite. */
    public static double[][] inits(LogDensityGradient density, int chains, Rng rng) {
        int d = density.dim();
        double[][] x = new double[chains][d];
        double[] g = new double[d];
        for (double[] xc : x) {
            for (int attempt = 0; ; attempt++) {
                for (int j = 0; j < d; j++) xc[j] = 4 * rng.nextDouble() - 2;
                if (Double.isFinite(density.evaluate(xc, g)) && Arrays.stream(g).allMatch(Double::isFinite)) break;
                if (attempt == 99) throw new IllegalStateException("no finite initial point in 100 draws");
            }
        }
        return x;
    }

    static void writeCache(Path f, Reference r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(bytes), StandardCharsets.UTF_8)) {
            w.write(String.format(Locale.ROOT, "# rhat_max=%.6f%n# divergences=%d%n# seconds=%.1f%n# nuts=4 chains x (1000 warm-up + 1000 draws), seed %d%n",
                    r.rhatMax(), r.divergences(), r.seconds(), NUTS_SEED));
            w.write(String.join(",", r.names()));
            w.write('\n');
            StringBuilder b = new StringBuilder();
            for (double[] row : r.draws()) {
                b.setLength(0);
                for (int j = 0; j < row.length; j++) { if (j > 0) b.append(','); b.append(row[j]); }
                w.write(b.append('\n').toString());
            }
        }
        Files.createDirectories(f.toAbsolutePath().getParent());
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static Reference readCache(Path f) throws IOException {
        try (InputStream g = new GZIPInputStream(Files.newInputStream(f))) {
            Csv c = Csv.read(g, f.toString());
            String rh = c.comments.get("rhat_max"), dv = c.comments.get("divergences"), s = c.comments.get("seconds");
            if (rh == null || dv == null) throw new DataException(f + ": not a NUTS cache file (no '# rhat_max=' / '# divergences=' lines)");
            return new Reference("nuts", c.names, c.rows, Double.parseDouble(rh), Integer.parseInt(dv), s == null ? Double.NaN : Double.parseDouble(s), f.toString());
        }
    }

    /** A CSV with '# key=value' comment lines; columns ending in "__" (chain__, ...) are dropped. */
    private record Csv(List<String> names, double[][] rows, Map<String, String> comments) {
        static Csv read(InputStream in, String source) throws IOException {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> comments = new LinkedHashMap<>();
            List<String> names = null;
            int[] keep = null;
            List<double[]> rows = new ArrayList<>();
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.startsWith("#")) {
                    int eq = line.indexOf('=');
                    if (eq > 0) comments.put(line.substring(1, eq).strip(), line.substring(eq + 1).strip());
                    continue;
                }
                if (line.isBlank()) continue;
                String[] f = line.split(",");
                if (names == null) {
                    names = new ArrayList<>();
                    List<Integer> k = new ArrayList<>();
                    for (int j = 0; j < f.length; j++) if (!f[j].endsWith("__")) { names.add(f[j]); k.add(j); }
                    keep = k.stream().mapToInt(Integer::intValue).toArray();
                    continue;
                }
                if (f.length < keep.length) throw new DataException(source + ":" + lineNo + ": " + f.length + " fields, expected " + keep.length);
                double[] row = new double[keep.length];
                for (int j = 0; j < keep.length; j++) {
                    try { row[j] = Double.parseDouble(f[keep[j]]); }
                    catch (NumberFormatException e) { throw new DataException(source + ":" + lineNo + ": not a number: '" + f[keep[j]] + "'"); }
                }
                rows.add(row);
            }
            if (names == null || rows.isEmpty()) throw new DataException(source + ": no draws");
            return new Csv(List.copyOf(names), rows.toArray(new double[0][]), comments);
        }
    }
}
