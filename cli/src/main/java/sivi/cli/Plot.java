package sivi.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import sivi.bench.harness.LinePlot;

/**
 * The drawing kit behind the run plots ({@link FitPlots}, {@link McmcPlots}): a white canvas, a data
 * frame with "nice" ticks (the same as the benchmark plots', {@link LinePlot#ticks}), a title and a
 * legend, written as PNG with Java2D only (headless).
 */
final class Plot {
    static final Color INK = new Color(0x33, 0x33, 0x33), GRID = new Color(0xe6, 0xe6, 0xe6);
    static final Color DRAW = new Color(0xd9, 0x5f, 0x02), REF = new Color(0x1f, 0x4e, 0x8c), BAD = new Color(0xc0, 0x10, 0x20);
    /** Chain colours (colour-blind safe, Okabe and Ito 2008). */
    static final Color[] CHAINS = {new Color(0x00, 0x72, 0xb2), new Color(0xe6, 0x9f, 0x00), new Color(0x00, 0x9e, 0x73), new Color(0xcc, 0x79, 0xa7),
            new Color(0x56, 0xb4, 0xe9), new Color(0xd5, 0x5e, 0x00), new Color(0xf0, 0xe4, 0x42), new Color(0x00, 0x00, 0x00)};

    final BufferedImage img;
    final Graphics2D g;

    Plot(int width, int height) {
        System.setProperty("java.awt.headless", "true");
        img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }

    int width() { return img.getWidth(); }

    void write(Path file) throws IOException {
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        RunFiles.write(file, bytes.toByteArray());
    }

    /** A plotting frame: data box [x0, x1] × [y0, y1] mapped to a pixel rectangle; {@code logX}, {@code logY} map that axis by log10. */
    record Frame(int left, int top, int width, int height, double x0, double x1, double y0, double y1, boolean logX, boolean logY) {
        Frame(int left, int top, int width, int height, double x0, double x1, double y0, double y1) { this(left, top, width, height, x0, x1, y0, y1, false, false); }
        double px(double x) { return left + fraction(x, x0, x1, logX) * width; }
        double py(double y) { return top + height - fraction(y, y0, y1, logY) * height; }
        private static double fraction(double v, double lo, double hi, boolean log) {
            return log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
        }
        int bottom() { return top + height; }
    }

    /** Ticks and labels of both axes, axis titles (null: none), and the frame's border. */
    void axes(Frame f, String xLabel, String yLabel, boolean small) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, small ? 11 : 13));
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        g.setColor(INK);
        int lastRight = Integer.MIN_VALUE;
        List<Double> xt = f.logX() ? LinePlot.logTicks(f.x0(), f.x1()) : LinePlot.ticks(f.x0(), f.x1(), Math.max(3, f.width() / (small ? 45 : 80)));
        for (double t : xt) {
            int px = (int) Math.round(f.px(t));
            g.drawLine(px, f.bottom(), px, f.bottom() + 5);
            String s = LinePlot.label(t);
            int x = px - fm.stringWidth(s) / 2;
            if (x <= lastRight + 6) continue;   // a label that would touch its neighbour is left out, its tick kept
            g.drawString(s, x, f.bottom() + 7 + fm.getAscent());
            lastRight = x + fm.stringWidth(s);
        }
        for (double t : f.logY() ? LinePlot.logTicks(f.y0(), f.y1()) : LinePlot.ticks(f.y0(), f.y1(), Math.max(2, f.height() / (small ? 40 : 60)))) {
            int py = (int) Math.round(f.py(t));
            g.drawLine(f.left() - 5, py, f.left(), py);
            String s = LinePlot.label(t);
            g.drawString(s, f.left() - 8 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, small ? 12 : 15));
        fm = g.getFontMetrics();
        if (xLabel != null) g.drawString(xLabel, f.left() + f.width() / 2 - fm.stringWidth(xLabel) / 2, f.bottom() + (small ? 34 : 44));
        if (yLabel != null) {
            var old = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, -(f.top() + f.height() / 2) - fm.stringWidth(yLabel) / 2, f.left() - (small ? 44 : 56));
            g.setTransform(old);
        }
        g.setStroke(new BasicStroke(1.2f));
        g.drawRect(f.left(), f.top(), f.width(), f.height());
    }

    void title(String title, String subtitle) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(INK);
        g.drawString(title, 20, 30);
        if (subtitle != null) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(subtitle, 20, 50);
        }
    }

    /** One legend entry: a filled box, a dot or a line in the colour. */
    record Legend(String text, Color color, char mark) {}

    /** A legend in one row starting at (x, y), outside any frame; returns its right edge. */
    int legendRow(int x, int y, List<Legend> items) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (Legend l : items) {
            g.setColor(l.color());
            switch (l.mark()) {
                case 'o' -> g.fill(new Ellipse2D.Double(x + 4, y - 4, 8, 8));
                case '-' -> { g.setStroke(new BasicStroke(2f)); g.drawLine(x, y, x + 16, y); }
                default -> g.fillRect(x, y - 6, 16, 12);
            }
            g.setColor(INK);
            g.drawString(l.text(), x + 22, y + fm.getAscent() / 2 - 1);
            x += 22 + fm.stringWidth(l.text()) + 24;
        }
        return x;
    }

    /** The q-quantile of the finite values (nearest rank). */
    static double quantile(double[] v, double q) {
        double[] s = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        return s.length == 0 ? 0 : s[(int) Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
    }

    static double[] column(double[][] x, int k) {
        double[] c = new double[x.length];
        for (int i = 0; i < x.length; i++) c[i] = x[i][k];
        return c;
    }

    /** [lo, hi] covering the 0.5–99.5 % quantiles of every array given, padded by 5 %; never empty. */
    static double[] range(double[]... columns) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] c : columns) { if (c == null) continue; lo = Math.min(lo, quantile(c, 0.005)); hi = Math.max(hi, quantile(c, 0.995)); }
        if (!(hi > lo)) { lo = (Double.isFinite(lo) ? lo : 0) - 1; hi = lo + 2; }
        double pad = 0.05 * (hi - lo);
        return new double[] {lo - pad, hi + pad};
    }
}
