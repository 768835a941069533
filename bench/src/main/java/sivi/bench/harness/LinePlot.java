package sivi.bench.harness;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A minimal headless line chart (Java2D → PNG) with optional log axes, for the benchmark report.
 * Log axes are labelled at 1, 2, 5 × 10^k (powers of ten only over more than three decades); a tick
 * label that would touch its neighbour is left out; a linear axis of non-negative data starts at 0.
 * The tick helpers are public because the CLI's run plots use the same ones.
 */
public final class LinePlot {
    private final String title, xLabel, yLabel;
    private final boolean logX, logY;
    private final List<Series> series = new ArrayList<>();
    private final List<double[]> hLines = new ArrayList<>();
    private final List<String> hLabels = new ArrayList<>();

    private record Series(String name, double[] x, double[] y) {}

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
            new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    private static final Color INK = new Color(0x33, 0x33, 0x33), GRID = new Color(0xee, 0xee, 0xee);

    public LinePlot(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        this.title = title; this.xLabel = xLabel; this.yLabel = yLabel; this.logX = logX; this.logY = logY;
    }

    public LinePlot add(String name, double[] x, double[] y) { series.add(new Series(name, x, y)); return this; }

    public LinePlot horizontal(String label, double y) { hLines.add(new double[] {y}); hLabels.add(label); return this; }

    /** "Nice" tick positions (1, 2, 2.5, 5 × 10^k) inside [lo, hi], about {@code target} of them. */
    public static List<Double> ticks(double lo, double hi, int target) {
        double raw = (hi - lo) / target, mag = Math.pow(10, Math.floor(Math.log10(raw))), step = mag;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * mag >= raw) { step = m * mag; break; }
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step) out.add(Math.abs(t) < 1e-12 * step ? 0.0 : t);
        return out;
    }

    /** Log-axis ticks in [lo, hi] (both &gt; 0): 1, 2, 5 × 10^k over at most three decades, else powers of ten (every k-th past eight decades). */
    public static List<Double> logTicks(double lo, double hi) {
        double decades = Math.log10(hi / lo);
        double[] mantissas = decades <= 3 ? new double[] {1, 2, 5} : new double[] {1};
        int every = Math.max(1, (int) Math.ceil(decades / 8));
        List<Double> out = new ArrayList<>();
        for (int k = (int) Math.floor(Math.log10(lo)); k <= (int) Math.ceil(Math.log10(hi)); k++) {
            if (mantissas.length == 1 && Math.floorMod(k, every) != 0) continue;
            for (double m : mantissas) {
                double t = Double.parseDouble(String.format(Locale.ROOT, "%.1e", m * Math.pow(10, k)));   // 0.2, not 0.20000000000000001
                if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) out.add(t);
            }
        }
        return out;
    }

    /** A tick label: integers below a million as digits, else three significant digits without trailing zeros (2e6, 0.25, 1.5e-5). */
    public static String label(double t) {
        if (t == Math.rint(t) && Math.abs(t) < 1e6) return Long.toString((long) t);
        String s = String.format(Locale.ROOT, "%.3g", t);
        if (!s.contains("e")) return s.replaceAll("0+$", "").replaceAll("\\.$", "");
        String[] me = s.split("e");   // 2.00e+06 -> 2e6, 1.50e-05 -> 1.5e-5
        return me[0].replaceAll("\\.?0+$", "") + "e" + Integer.parseInt(me[1]);
    }

    private double tx(double v) { return logX ? Math.log10(v) : v; }
    private double ty(double v) { return logY ? Math.log10(v) : v; }

    public void write(Path file) throws IOException {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        FontMetrics fm = probe.createGraphics().getFontMetrics(font);
        int legendW = series.stream().mapToInt(s -> fm.stringWidth(s.name)).max().orElse(0) + 50;
        int l = 80, r = Math.max(120, legendW), t = 40, b = 60, pw = 600, ph = 420, w = l + pw + r, h = t + ph + b;

        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series)
            for (int i = 0; i < s.x.length; i++) {
                if (!(s.y[i] > 0) && logY) continue;
                x0 = Math.min(x0, s.x[i]); x1 = Math.max(x1, s.x[i]);
                y0 = Math.min(y0, s.y[i]); y1 = Math.max(y1, s.y[i]);
            }
        for (double[] hl : hLines) { y0 = Math.min(y0, hl[0]); y1 = Math.max(y1, hl[0]); }
        if (!(x1 >= x0)) { x0 = 1; x1 = 10; }
        if (!(y1 >= y0)) { y0 = logY ? 1 : 0; y1 = logY ? 10 : 1; }
        // pad 5 % of the range (on the log scale for a log axis); a linear axis of non-negative data starts at 0
        double[] xr = pad(x0, x1, logX, false), yr = pad(y0, y1, logY, !logY && y0 >= 0);
        final double fx0 = tx(xr[0]), fx1 = tx(xr[1]), fy0 = ty(yr[0]), fy1 = ty(yr[1]);
        java.util.function.DoubleUnaryOperator X = v -> l + (tx(v) - fx0) / (fx1 - fx0) * pw;
        java.util.function.DoubleUnaryOperator Y = v -> t + ph - (ty(v) - fy0) / (fy1 - fy0) * ph;

        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE); g.fillRect(0, 0, w, h);
        g.setColor(INK); g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, l, 24);
        g.setFont(font);
        List<Double> xt = logX ? logTicks(xr[0], xr[1]) : ticks(xr[0], xr[1], 8), yt = logY ? logTicks(yr[0], yr[1]) : ticks(yr[0], yr[1], 8);
        int lastRight = Integer.MIN_VALUE;
        for (double v : xt) {
            int px = (int) Math.round(X.applyAsDouble(v));
            g.setColor(GRID); g.drawLine(px, t, px, t + ph);
            g.setColor(INK); g.drawLine(px, t + ph, px, t + ph + 4);
            String s = label(v);
            int x = px - fm.stringWidth(s) / 2;
            if (x <= lastRight + 6) continue;   // would touch the previous label: tick without label
            g.drawString(s, x, t + ph + 18);
            lastRight = x + fm.stringWidth(s);
        }
        int lastTop = Integer.MAX_VALUE;
        for (double v : yt) {
            int py = (int) Math.round(Y.applyAsDouble(v));
            g.setColor(GRID); g.drawLine(l, py, l + pw, py);
            g.setColor(INK); g.drawLine(l - 4, py, l, py);
            if (py + fm.getAscent() / 2 > lastTop - 2) continue;
            String s = label(v);
            g.drawString(s, l - 8 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
            lastTop = py - fm.getAscent() / 2;
        }
        g.setColor(INK);
        g.drawRect(l, t, pw, ph);
        String xl = xLabel + (logX ? " (log scale)" : ""), yl = yLabel + (logY ? " (log scale)" : "");
        g.drawString(xl, l + pw / 2 - fm.stringWidth(xl) / 2, h - 18);
        g.rotate(-Math.PI / 2); g.drawString(yl, -(t + ph / 2 + fm.stringWidth(yl) / 2), 22); g.rotate(Math.PI / 2);
        for (int k = 0; k < hLines.size(); k++) {
            int yy = (int) Y.applyAsDouble(hLines.get(k)[0]);
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.drawLine(l, yy, l + pw, yy);
            g.drawString(hLabels.get(k), l + 6, yy < t + 20 ? yy + 15 : yy - 5);   // inside the frame, below the line when it is at the top
        }
        g.setStroke(new BasicStroke(2f));
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            g.setColor(COLORS[si % COLORS.length]);
            int prevX = -1, prevY = -1;
            for (int i = 0; i < s.x.length; i++) {
                if (logY && !(s.y[i] > 0)) continue;
                int px = (int) X.applyAsDouble(s.x[i]), pyy = (int) Y.applyAsDouble(s.y[i]);
                g.fillOval(px - 3, pyy - 3, 7, 7);
                if (prevX >= 0) g.drawLine(prevX, prevY, px, pyy);
                prevX = px; prevY = pyy;
            }
            g.drawLine(l + pw + 10, t + 12 + 18 * si, l + pw + 30, t + 12 + 18 * si);
            g.setColor(INK);
            g.drawString(s.name, l + pw + 36, t + 16 + 18 * si);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        sivi.fit.TensorFile.writeAtomically(file, out.toByteArray());
    }

    /** [lo, hi] widened by 5 % of the range (of log10 for a log axis; a point gets a factor 2 or ±1); fromZero: lo = 0. */
    static double[] pad(double lo, double hi, boolean log, boolean fromZero) {
        if (log) {
            double f = hi > lo ? Math.pow(hi / lo, 0.05) : 2;
            return new double[] {lo / f, hi * f};
        }
        double p = hi > lo ? 0.05 * (hi - lo) : Math.max(1, Math.abs(hi));
        return new double[] {fromZero ? 0 : lo - p, hi + p};
    }
}
