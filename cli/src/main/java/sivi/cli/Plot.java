package sivi.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * plot.png with Java2D only (headless): for a 2-D target, filled density contours of the target
 * (log p evaluated on a grid over {@link Target#plotBox()}) with the fitted draws scattered on top;
 * for d &gt; 2, marginal histograms of up to six parameters, with the reference draws' histogram
 * outlined when there are some.
 */
final class Plot {
    private Plot() {}

    private static final int W = 860, H = 720;
    private static final Color INK = new Color(0x33, 0x33, 0x33), GRID = new Color(0xe6, 0xe6, 0xe6);
    private static final Color DRAW = new Color(0xd9, 0x5f, 0x02), REF = new Color(0x1f, 0x4e, 0x8c);
    /** Contour levels as fractions of the density's maximum on the grid. */
    private static final double[] LEVELS = {0.005, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.92};

    static void write(Path file, Target target, Tensor draws, Tensor reference, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double[][] x = draws.cast(DType.F64).toMatrix();
        if (target.dim() == 2) density2d(g, target, x, title);
        else marginals(g, target, x, reference == null ? null : reference.cast(DType.F64).toMatrix(), title);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        RunFiles.write(file, bytes.toByteArray());
    }

    /** A plotting frame: data box [x0, x1] × [y0, y1] mapped to a pixel rectangle. */
    private record Frame(int left, int top, int width, int height, double x0, double x1, double y0, double y1) {
        double px(double x) { return left + (x - x0) / (x1 - x0) * width; }
        double py(double y) { return top + height - (y - y0) / (y1 - y0) * height; }
    }

    private static void density2d(Graphics2D g, Target target, double[][] x, String title) {
        double[] box = target.plotBox();
        Frame f = new Frame(90, 70, W - 130, H - 150, box[0], box[1], box[2], box[3]);
        int n = 240;
        double[] grid = new double[n * n * 2];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            grid[2 * (i * n + j)] = box[0] + (box[1] - box[0]) * j / (n - 1);
            grid[2 * (i * n + j) + 1] = box[2] + (box[3] - box[2]) * i / (n - 1);
        }
        double[] logp = GradMode.noGrad(() -> target.logDensity(Var.constant(Tensor.wrap(grid, n * n, 2))).value().toDoubleArray());
        double max = Arrays.stream(logp).filter(Double::isFinite).max().orElse(0);
        double[] p = new double[logp.length];
        for (int k = 0; k < p.length; k++) p[k] = Double.isFinite(logp[k]) ? Math.exp(logp[k] - max) : 0;

        // Filled contours: each pixel takes the band of its bilinearly interpolated density; band edges are the contour lines.
        int[][] band = new int[f.height()][f.width()];
        for (int r = 0; r < f.height(); r++) for (int c = 0; c < f.width(); c++) {
            double gx = (c + 0.5) / f.width() * (n - 1), gy = (f.height() - r - 0.5) / f.height() * (n - 1);
            int j = Math.min((int) gx, n - 2), i = Math.min((int) gy, n - 2);
            double tx = gx - j, ty = gy - i;
            double v = (1 - ty) * ((1 - tx) * p[i * n + j] + tx * p[i * n + j + 1]) + ty * ((1 - tx) * p[(i + 1) * n + j] + tx * p[(i + 1) * n + j + 1]);
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
        axes(g, f, target.names().get(0), target.names().get(1), false);

        g.setClip(f.left(), f.top(), f.width(), f.height());
        g.setColor(new Color(DRAW.getRed(), DRAW.getGreen(), DRAW.getBlue(), 150));
        double rad = x.length > 3000 ? 1.4 : 2.2;
        for (double[] row : x) g.fill(new Ellipse2D.Double(f.px(row[0]) - rad, f.py(row[1]) - rad, 2 * rad, 2 * rad));
        g.setClip(null);
        g.setColor(INK);
        g.setStroke(new BasicStroke(1.2f));
        g.drawRect(f.left(), f.top(), f.width(), f.height());
        title(g, title);
        legend(g, f, List.of(new Legend("target density (contours)", bandColor(6), false), new Legend("fitted draws (n=" + x.length + ")", DRAW, true)));
    }

    /** White to blue in LEVELS.length + 1 steps; index beyond that is the contour line colour. */
    private static Color bandColor(int b) {
        if (b > LEVELS.length) return new Color(0x5a, 0x7d, 0xb0);
        double t = (double) b / LEVELS.length;
        return new Color((int) (255 - t * (255 - 0x4a)), (int) (255 - t * (255 - 0x86)), (int) (255 - t * (255 - 0xc8)));
    }

    private static void marginals(Graphics2D g, Target target, double[][] x, double[][] ref, String title) {
        int d = Math.min(6, target.dim());
        int cols = d <= 2 ? d : d <= 4 ? 2 : 3, rows = (d + cols - 1) / cols;
        int cellW = (W - 40) / cols, cellH = (H - 110) / rows;
        for (int k = 0; k < d; k++) {
            double[] a = column(x, k), b = ref == null ? null : column(ref, k);
            double lo = quantile(a, 0.005), hi = quantile(a, 0.995);
            if (b != null) { lo = Math.min(lo, quantile(b, 0.005)); hi = Math.max(hi, quantile(b, 0.995)); }
            if (!(hi > lo)) { lo -= 1; hi += 1; }
            double pad = 0.05 * (hi - lo);
            lo -= pad;
            hi += pad;
            int bins = 40;
            double[] ha = histogram(a, lo, hi, bins), hb = b == null ? null : histogram(b, lo, hi, bins);
            double top = Arrays.stream(ha).max().orElse(1);
            if (hb != null) top = Math.max(top, Arrays.stream(hb).max().orElse(1));
            int cx = 20 + (k % cols) * cellW, cy = 60 + (k / cols) * cellH;
            Frame f = new Frame(cx + 55, cy + 10, cellW - 75, cellH - 60, lo, hi, 0, top * 1.08);
            axes(g, f, target.names().get(k), k % cols == 0 ? "density" : null, true);
            double bw = (hi - lo) / bins;
            g.setColor(new Color(DRAW.getRed(), DRAW.getGreen(), DRAW.getBlue(), 140));
            for (int i = 0; i < bins; i++) {
                double x0 = f.px(lo + i * bw), x1 = f.px(lo + (i + 1) * bw), y = f.py(ha[i]);
                g.fill(new java.awt.geom.Rectangle2D.Double(x0, y, x1 - x0, f.py(0) - y));
            }
            if (hb != null) {
                Path2D.Double path = new Path2D.Double();
                path.moveTo(f.px(lo), f.py(0));
                for (int i = 0; i < bins; i++) { path.lineTo(f.px(lo + i * bw), f.py(hb[i])); path.lineTo(f.px(lo + (i + 1) * bw), f.py(hb[i])); }
                path.lineTo(f.px(hi), f.py(0));
                g.setColor(REF);
                g.setStroke(new BasicStroke(1.6f));
                g.draw(path);
            }
            g.setColor(INK);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(f.left(), f.top(), f.width(), f.height());
        }
        title(g, title + (target.dim() > d ? "  (first " + d + " of " + target.dim() + " parameters)" : ""));
        List<Legend> items = new ArrayList<>(List.of(new Legend("fitted draws (n=" + x.length + ")", DRAW, false)));
        if (ref != null) items.add(new Legend("exact draws (n=" + ref.length + ")", REF, false));
        legend(g, new Frame(W - 300, 42, 280, 0, 0, 1, 0, 1), items);
    }

    private static double[] column(double[][] x, int k) {
        double[] c = new double[x.length];
        for (int i = 0; i < x.length; i++) c[i] = x[i][k];
        return c;
    }

    private static double quantile(double[] v, double q) {
        double[] s = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        return s.length == 0 ? 0 : s[(int) Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
    }

    /** Density-normalised histogram (integrates to the in-range fraction). */
    private static double[] histogram(double[] v, double lo, double hi, int bins) {
        double[] h = new double[bins];
        double w = (hi - lo) / bins;
        for (double x : v) if (x >= lo && x < hi) h[(int) ((x - lo) / w)] += 1.0 / (v.length * w);
        return h;
    }

    private static void axes(Graphics2D g, Frame f, String xLabel, String yLabel, boolean small) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, small ? 11 : 13));
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (double t : ticks(f.x0(), f.x1(), small ? 5 : 8)) {
            int px = (int) Math.round(f.px(t));
            g.setColor(INK);
            g.drawLine(px, f.top() + f.height(), px, f.top() + f.height() + 5);
            String s = label(t);
            g.drawString(s, px - fm.stringWidth(s) / 2, f.top() + f.height() + 7 + fm.getAscent());
        }
        for (double t : ticks(f.y0(), f.y1(), small ? 4 : 8)) {
            int py = (int) Math.round(f.py(t));
            g.setColor(INK);
            g.drawLine(f.left() - 5, py, f.left(), py);
            String s = label(t);
            g.drawString(s, f.left() - 8 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, small ? 12 : 15));
        fm = g.getFontMetrics();
        g.setColor(INK);
        g.drawString(xLabel, f.left() + f.width() / 2 - fm.stringWidth(xLabel) / 2, f.top() + f.height() + (small ? 36 : 44));
        if (yLabel != null) {
            var old = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, -(f.top() + f.height() / 2) - fm.stringWidth(yLabel) / 2, f.left() - (small ? 42 : 52));
            g.setTransform(old);
        }
    }

    /** "Nice" tick positions (1, 2, 5 × 10^k) inside [lo, hi], about {@code target} of them. */
    static List<Double> ticks(double lo, double hi, int target) {
        double raw = (hi - lo) / target, mag = Math.pow(10, Math.floor(Math.log10(raw))), step = mag;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * mag >= raw) { step = m * mag; break; }
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step) out.add(Math.abs(t) < 1e-12 * step ? 0.0 : t);
        return out;
    }

    private static String label(double t) {
        if (t == Math.rint(t) && Math.abs(t) < 1e6) return Long.toString((long) t);
        String s = String.format(java.util.Locale.ROOT, "%.3g", t);
        return s.contains("e") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static void title(Graphics2D g, String title) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(INK);
        g.drawString(title, 90, 38);
    }

    private record Legend(String text, Color color, boolean dot) {}

    private static void legend(Graphics2D g, Frame f, List<Legend> items) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        int w = items.stream().mapToInt(l -> fm.stringWidth(l.text())).max().orElse(0) + 40, h = 22 * items.size() + 8;
        int x = f.left() + f.width() - w - 10, y = f.top() + 10;
        g.setColor(new Color(255, 255, 255, 220));
        g.fillRect(x, y, w, h);
        g.setColor(GRID.darker());
        g.drawRect(x, y, w, h);
        for (int i = 0; i < items.size(); i++) {
            Legend l = items.get(i);
            int cy = y + 15 + 22 * i;
            g.setColor(l.color());
            if (l.dot()) g.fill(new Ellipse2D.Double(x + 12, cy - 4, 8, 8));
            else g.fillRect(x + 8, cy - 6, 16, 12);
            g.setColor(INK);
            g.drawString(l.text(), x + 32, cy + fm.getAscent() / 2 - 1);
        }
    }
}
