package sivi.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.targets.ReferenceDraws;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The plots of a fit. plot.png: for a 2-D target, filled density contours of the target (log p on a
 * grid over {@link Target#plotBox()}) with the fitted draws on top; otherwise marginal histograms
 * against the reference draws when there are some ({@link #reference}). trace.png: the objective
 * against the iteration.
 */
final class FitPlots {
    private FitPlots() {}

    /** Contour levels as fractions of the density's maximum on the grid. */
    private static final double[] LEVELS = {0.005, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.92};
    /** Marginal panels at most, and how many of them are the first parameters when the rest are chosen by |z|. */
    static final int MAX_PANELS = 12, FIRST = 4;

    /** Reference draws in the written (constrained) space, with the parameter names and where they come from. */
    record Reference(String label, List<String> names, double[][] draws) {}

    /**
     * The best reference a target has, in the space samples.csv is written in: exact draws (the same
     * ones the metrics use), else the shipped NUTS draws (sivi/reference/&lt;target&gt;.csv), else for
     * pdb-&lt;posterior&gt; posteriordb's reference draws.
     */
    static Optional<Reference> reference(Target t) throws IOException {
        Optional<Tensor> exact = Cli.referenceDraws(t, Cli.REFERENCE_SEED);
        if (exact.isPresent())
            return Optional.of(new Reference("exact draws", t.outputNames(), t.constrain(exact.get()).cast(DType.F64).toMatrix()));
        Optional<ReferenceDraws> nuts = ReferenceDraws.load(t.name());
        if (nuts.isPresent() && nuts.get().names().equals(t.outputNames()))
            return Optional.of(new Reference("NUTS reference draws", nuts.get().names(), nuts.get().draws()));
        if (t.name().startsWith("pdb-")) {
            try (InputStream in = FitPlots.class.getClassLoader().getResourceAsStream("sivi/posteriordb/" + t.name().substring(4) + "/reference.csv.gz")) {
                if (in == null) return Optional.empty();
                Path tmp = Files.createTempFile("sivi-reference", ".csv.gz");
                try {
                    Files.write(tmp, in.readAllBytes());
                    SampleIO.Samples s = SampleIO.readCsv(tmp);
                    if (s.names().equals(t.outputNames())) return Optional.of(new Reference("posteriordb reference draws", s.names(), s.draws().toMatrix()));
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        return Optional.empty();
    }

    /** plot.png of draws (N×dim, the sampling space). */
    static void write(Path file, Target target, Tensor draws, Optional<Reference> reference, String title) throws IOException {
        if (target.dim() == 2 && target.outputNames().size() == 2) {
            Plot p = new Plot(860, 720);
            density2d(p, target, draws.cast(DType.F64).toMatrix(), title);
            p.write(file);
        } else {
            double[][] y = target.constrain(draws).cast(DType.F64).toMatrix();
            marginals(target.outputNames(), y, reference.orElse(null), title).write(file);
        }
    }

    private static void density2d(Plot p, Target target, double[][] x, String title) {
        var g = p.g;
        double[] box = target.plotBox();
        Plot.Frame f = new Plot.Frame(90, 70, 860 - 130, 720 - 150, box[0], box[1], box[2], box[3]);
        int n = 240;
        double[] grid = new double[n * n * 2];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            grid[2 * (i * n + j)] = box[0] + (box[1] - box[0]) * j / (n - 1);
            grid[2 * (i * n + j) + 1] = box[2] + (box[3] - box[2]) * i / (n - 1);
        }
        double[] logp = GradMode.noGrad(() -> target.logDensity(Var.constant(Tensor.wrap(grid, n * n, 2))).value().toDoubleArray());
        double max = Arrays.stream(logp).filter(Double::isFinite).max().orElse(0);
        double[] d = new double[logp.length];
        for (int k = 0; k < d.length; k++) d[k] = Double.isFinite(logp[k]) ? Math.exp(logp[k] - max) : 0;

        // Filled contours: each pixel takes the band of its bilinearly interpolated density; band edges are the contour lines.
        int[][] band = new int[f.height()][f.width()];
        for (int r = 0; r < f.height(); r++) for (int c = 0; c < f.width(); c++) {
            double gx = (c + 0.5) / f.width() * (n - 1), gy = (f.height() - r - 0.5) / f.height() * (n - 1);
            int j = Math.min((int) gx, n - 2), i = Math.min((int) gy, n - 2);
            double tx = gx - j, ty = gy - i;
            double v = (1 - ty) * ((1 - tx) * d[i * n + j] + tx * d[i * n + j + 1]) + ty * ((1 - tx) * d[(i + 1) * n + j] + tx * d[(i + 1) * n + j + 1]);
            int b = 0;
            while (b < LEVELS.length && v >= LEVELS[b]) b++;
            band[r][c] = b;
        }
        for (int r = 0; r < f.height(); r++) for (int c = 0; c < f.width(); c++) {
            int b = band[r][c];
            boolean edge = (c + 1 < f.width() && band[r][c + 1] != b) || (r + 1 < f.height() && band[r + 1][c] != b);
            g.setColor(edge ? bandColor(LEVELS.length + 2) : bandColor(b));
            g.fillRect(f.left() + c, f.top() + r, 1, 1);
        }
        g.setClip(f.left(), f.top(), f.width(), f.height());
        g.setColor(new Color(Plot.DRAW.getRed(), Plot.DRAW.getGreen(), Plot.DRAW.getBlue(), 150));
        double rad = x.length > 3000 ? 1.4 : 2.2;
        for (double[] row : x) g.fill(new Ellipse2D.Double(f.px(row[0]) - rad, f.py(row[1]) - rad, 2 * rad, 2 * rad));
        g.setClip(null);
        p.axes(f, target.names().get(0), target.names().get(1), false);
        p.title(title, null);
        p.legendRow(f.left(), 56, List.of(new Plot.Legend("target density (contours)", bandColor(6), 'b'), new Plot.Legend("fitted draws (n=" + x.length + ")", Plot.DRAW, 'o')));
    }

    /** White to blue in LEVELS.length + 1 steps; index beyond that is the contour line colour. */
    private static Color bandColor(int b) {
        if (b > LEVELS.length) return new Color(0x5a, 0x7d, 0xb0);
        double t = (double) b / LEVELS.length;
        return new Color((int) (255 - t * (255 - 0x4a)), (int) (255 - t * (255 - 0x86)), (int) (255 - t * (255 - 0xc8)));
    }

    /** z_j = (mean of draws − mean of reference) / sd of reference, per column. */
    static double[] zScores(double[][] x, double[][] ref) {
        int d = ref[0].length;
        double[] z = new double[d];
        for (int j = 0; j < d; j++) {
            double[] a = Plot.column(x, j), b = Plot.column(ref, j);
            double mb = mean(b), sb = 0;
            for (double v : b) sb += (v - mb) * (v - mb);
            sb = Math.sqrt(sb / Math.max(1, b.length - 1));
            z[j] = (mean(a) - mb) / Math.max(sb, 1e-300);
        }
        return z;
    }

    /**
     * The parameters to show (sorted): all when there are at most {@link #MAX_PANELS}; else the first
     * {@link #FIRST} and, with a reference, the rest by largest |z| (without: the next ones in order).
     */
    static int[] selection(int d, double[] z) {
        if (d <= MAX_PANELS) return IntStream.range(0, d).toArray();
        if (z == null) return IntStream.range(0, MAX_PANELS).toArray();
        List<Integer> rest = IntStream.range(FIRST, d).boxed().sorted(Comparator.comparingDouble((Integer j) -> -Math.abs(z[j]))).toList();
        return IntStream.concat(IntStream.range(0, FIRST), rest.subList(0, MAX_PANELS - FIRST).stream().mapToInt(Integer::intValue)).sorted().toArray();
    }

    private static Plot marginals(List<String> names, double[][] x, Reference ref, String title) {
        int d = names.size();
        double[] z = ref == null || x.length == 0 ? null : zScores(x, ref.draws());   // --draws 0: no means to compare
        int[] show = selection(d, z);
        int k = show.length, cols = (int) Math.ceil(Math.sqrt(k)), rows = (k + cols - 1) / cols;
        int cellW = 280, cellH = 210, top = 90;
        Plot p = new Plot(Math.max(720, 30 + cols * cellW), top + rows * cellH + 10);
        var g = p.g;
        for (int s = 0; s < k; s++) {
            int j = show[s];
            double[] a = Plot.column(x, j), b = ref == null ? null : Plot.column(ref.draws(), j);
            double[] r = Plot.range(a, b);
            int bins = 40;
            double[] ha = histogram(a, r[0], r[1], bins), hb = b == null ? null : histogram(b, r[0], r[1], bins);
            double hi = Arrays.stream(ha).max().orElse(1);
            if (hb != null) hi = Math.max(hi, Arrays.stream(hb).max().orElse(1));
            int cx = 20 + (s % cols) * cellW, cy = top + (s / cols) * cellH;
            Plot.Frame f = new Plot.Frame(cx + 50, cy + 22, cellW - 70, cellH - 70, r[0], r[1], 0, hi * 1.08);
            double bw = (r[1] - r[0]) / bins;
            g.setColor(new Color(Plot.DRAW.getRed(), Plot.DRAW.getGreen(), Plot.DRAW.getBlue(), 140));
            for (int i = 0; i < bins; i++) {
                double x0 = f.px(r[0] + i * bw), x1 = f.px(r[0] + (i + 1) * bw), y = f.py(ha[i]);
                g.fill(new Rectangle2D.Double(x0, y, x1 - x0, f.py(0) - y));
            }
            if (hb != null) {
                Path2D.Double path = new Path2D.Double();
                path.moveTo(f.px(r[0]), f.py(0));
                for (int i = 0; i < bins; i++) { path.lineTo(f.px(r[0] + i * bw), f.py(hb[i])); path.lineTo(f.px(r[0] + (i + 1) * bw), f.py(hb[i])); }
                path.lineTo(f.px(r[1]), f.py(0));
                g.setColor(Plot.REF);
                g.setStroke(new BasicStroke(1.6f));
                g.draw(path);
            }
            p.axes(f, null, null, true);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.setColor(z != null && Math.abs(z[j]) > 0.5 ? Plot.BAD : Plot.INK);
            g.drawString(names.get(j) + (z == null ? "" : String.format(java.util.Locale.ROOT, "   z = %+.2f", z[j])), f.left(), f.top() - 6);
        }
        String which = k == d ? "all " + d + " parameters" : z == null ? "first " + k + " of " + d + " parameters"
                : "first " + FIRST + " and the " + (k - FIRST) + " of largest |z| of " + d + " parameters";
        p.title(title, "marginals: " + which + (z == null ? "" : "; z = (mean − reference mean) / reference sd, red when |z| > 0.5"));
        List<Plot.Legend> items = new ArrayList<>(List.of(new Plot.Legend("fitted draws (n=" + x.length + ")", Plot.DRAW, 'b')));
        if (ref != null) items.add(new Plot.Legend(ref.label() + " (n=" + ref.draws().length + ")", Plot.REF, '-'));
        p.legendRow(20, 72, items);
        return p;
    }

    /** Density-normalised histogram (integrates to the in-range fraction). */
    static double[] histogram(double[] v, double lo, double hi, int bins) {
        double[] h = new double[bins];
        double w = (hi - lo) / bins;
        for (double x : v) if (x >= lo && x < hi) h[(int) ((x - lo) / w)] += 1.0 / (v.length * w);
        return h;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /**
     * Trailing mean of y over the last ⌈i / 10⌉ points before i (i included): smoothing whose window
     * grows with the iteration, so it looks even on a log iteration axis.
     */
    static double[] trailingMean(double[] y) {
        double[] prefix = new double[y.length + 1], out = new double[y.length];
        for (int i = 0; i < y.length; i++) prefix[i + 1] = prefix[i] + y[i];
        for (int i = 0; i < y.length; i++) {
            int w = Math.max(1, (int) Math.ceil((i + 1) / 10.0));
            out[i] = (prefix[i + 1] - prefix[i + 1 - w]) / w;
        }
        return out;
    }

    /**
     * trace.png from trace.csv: the objective per iteration (faint) and its trailing mean, on a log
     * iteration axis when the run is longer than 100 iterations. The y range covers the 1–99 %
     * quantiles of the objective, so a few early spikes do not flatten the rest.
     */
    static void trace(Path traceCsv, Path file, String title) throws IOException {
        List<String> lines = Files.readAllLines(traceCsv, StandardCharsets.UTF_8);
        int n = Math.max(0, lines.size() - 1);
        double[] it = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            String[] c = lines.get(i + 1).split(",");
            it[i] = Double.parseDouble(c[0]) + 1;   // 1-based, so the log axis starts at 1
            y[i] = Double.parseDouble(c[1]);
        }
        Plot p = new Plot(860, 480);
        var g = p.g;
        p.title(title, n == 0 ? "no iterations" : "objective per iteration (faint) and its trailing mean over the last 10 % of iterations");
        if (n == 0) { p.write(file); return; }
        double[] smooth = trailingMean(y);
        double lo = Math.min(Plot.quantile(y, 0.01), Plot.quantile(smooth, 0)), hi = Math.max(Plot.quantile(y, 0.99), Plot.quantile(smooth, 1));
        if (!(hi > lo)) { lo -= 1; hi += 1; }
        boolean logX = it[n - 1] > 100, logY = lo > 0 && hi / lo > 100;   // a positive loss over orders of magnitude
        double pad = logY ? Math.pow(hi / lo, 0.05) : 0.05 * (hi - lo);
        Plot.Frame f = new Plot.Frame(100, 80, 860 - 140, 480 - 150, logX ? 1 : it[0], Math.max(it[n - 1], it[0] + 1),
                logY ? lo / pad : lo - pad, logY ? hi * pad : hi + pad, logX, logY);
        g.setClip(f.left(), f.top(), f.width(), f.height());
        g.setColor(new Color(0x1f, 0x4e, 0x8c, 110));
        g.setStroke(new BasicStroke(1f));
        line(g, f, it, y);
        g.setColor(Plot.DRAW);
        g.setStroke(new BasicStroke(2.2f));
        line(g, f, it, smooth);
        g.setClip(null);
        p.axes(f, "iteration" + (logX ? " (log scale)" : ""), "objective" + (logY ? " (log scale)" : ""), false);
        p.legendRow(f.left(), 66, List.of(new Plot.Legend("objective", new Color(0x1f, 0x4e, 0x8c, 120), '-'), new Plot.Legend("trailing mean", Plot.DRAW, '-')));
        p.write(file);
    }

    static void line(java.awt.Graphics2D g, Plot.Frame f, double[] x, double[] y) {
        Path2D.Double path = new Path2D.Double();
        boolean started = false;
        for (int i = 0; i < x.length; i++) {
            double raw = f.py(y[i]);   // NaN for y <= 0 on a log axis
            if (!Double.isFinite(raw)) { started = false; continue; }
            double px = f.px(x[i]), py = Math.max(f.top() - 10, Math.min(f.bottom() + 10, raw));
            if (started) path.lineTo(px, py); else path.moveTo(px, py);
            started = true;
        }
        g.draw(path);
    }
}
