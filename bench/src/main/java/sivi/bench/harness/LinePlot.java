package sivi.bench.harness;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** A minimal headless line chart (Java2D → PNG) with optional log axes, for the benchmark report. */
public final class LinePlot {
    private final String title, xLabel, yLabel;
    private final boolean logX, logY;
    private final List<Series> series = new ArrayList<>();
    private final List<double[]> hLines = new ArrayList<>();
    private final List<String> hLabels = new ArrayList<>();

    private record Series(String name, double[] x, double[] y) {}

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
            new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    public LinePlot(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        this.title = title; this.xLabel = xLabel; this.yLabel = yLabel; this.logX = logX; this.logY = logY;
    }

    public LinePlot add(String name, double[] x, double[] y) { series.add(new Series(name, x, y)); return this; }

    public LinePlot horizontal(String label, double y) { hLines.add(new double[] {y}); hLabels.add(label); return this; }

    private double tx(double v) { return logX ? Math.log10(v) : v; }
    private double ty(double v) { return logY ? Math.log10(v) : v; }

    public void write(Path file) throws IOException {
        int w = 800, h = 520, l = 80, r = 200, t = 40, b = 60;
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series)
            for (int i = 0; i < s.x.length; i++) {
                if (!(s.y[i] > 0) && logY) continue;
                x0 = Math.min(x0, tx(s.x[i])); x1 = Math.max(x1, tx(s.x[i]));
                y0 = Math.min(y0, ty(s.y[i])); y1 = Math.max(y1, ty(s.y[i]));
            }
        for (double[] hl : hLines) { y0 = Math.min(y0, ty(hl[0])); y1 = Math.max(y1, ty(hl[0])); }
        if (!(x1 > x0)) { x0 -= 1; x1 += 1; }
        if (!(y1 > y0)) { y0 -= 1; y1 += 1; }
        boolean nonNegative = !logY && y0 >= 0;
        double py = 0.05 * (y1 - y0); y0 -= py; y1 += py;
        if (nonNegative && y0 < 0.3 * y1) y0 = 0;   // rates and times start at zero
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE); g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK); g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, l, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int pw = w - l - r, ph = h - t - b;
        g.drawRect(l, t, pw, ph);
        final double fx0 = x0, fx1 = x1, fy0 = y0, fy1 = y1;
        java.util.function.DoubleUnaryOperator X = v -> l + (v - fx0) / (fx1 - fx0) * pw;
        java.util.function.DoubleUnaryOperator Y = v -> t + ph - (v - fy0) / (fy1 - fy0) * ph;
        for (int i = 0; i <= 5; i++) {
            double vx = x0 + i * (x1 - x0) / 5, vy = y0 + i * (y1 - y0) / 5;
            int px = (int) X.applyAsDouble(vx), pyy = (int) Y.applyAsDouble(vy);
            g.setColor(new Color(0xeeeeee)); g.drawLine(px, t, px, t + ph); g.drawLine(l, pyy, l + pw, pyy);
            g.setColor(Color.BLACK);
            g.drawString(fmt(logX ? Math.pow(10, vx) : vx), px - 15, t + ph + 16);
            g.drawString(fmt(logY ? Math.pow(10, vy) : vy), l - 60, pyy + 4);
        }
        g.drawString(xLabel + (logX ? " (log)" : ""), l + pw / 2 - 40, h - 18);
        g.rotate(-Math.PI / 2); g.drawString(yLabel + (logY ? " (log)" : ""), -(t + ph / 2 + 40), 18); g.rotate(Math.PI / 2);
        for (int k = 0; k < hLines.size(); k++) {
            int yy = (int) Y.applyAsDouble(ty(hLines.get(k)[0]));
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.drawLine(l, yy, l + pw, yy);
            g.drawString(hLabels.get(k), l + 6, yy - 5);   // inside the plot, clear of the legend
        }
        g.setStroke(new BasicStroke(2f));
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            g.setColor(COLORS[si % COLORS.length]);
            int prevX = -1, prevY = -1;
            for (int i = 0; i < s.x.length; i++) {
                if (logY && !(s.y[i] > 0)) continue;
                int px = (int) X.applyAsDouble(tx(s.x[i])), pyy = (int) Y.applyAsDouble(ty(s.y[i]));
                g.fillOval(px - 3, pyy - 3, 7, 7);
                if (prevX >= 0) g.drawLine(prevX, prevY, px, pyy);
                prevX = px; prevY = pyy;
            }
            g.drawLine(l + pw + 10, t + 12 + 18 * si, l + pw + 30, t + 12 + 18 * si);
            g.drawString(s.name, l + pw + 36, t + 16 + 18 * si);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        sivi.fit.TensorFile.writeAtomically(file, out.toByteArray());
    }

    private static String fmt(double v) {
        double a = Math.abs(v);
        if (a >= 1000 || (a < 0.01 && a > 0)) return String.format("%.1e", v);
        return a >= 10 ? String.format("%.0f", v) : String.format("%.2f", v);
    }
}
