package sivi.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * trace.png of an MCMC run: for the first few parameters, a row with the trace of every chain
 * (divergent transitions marked in red) and the rank plot of Vehtari, Gelman, Simpson, Carpenter and
 * Bürkner (2021, "Rank-normalization, folding, and localization", Bayesian Analysis 16(2), sec. 4.2):
 * the draws of all chains are ranked together and each chain's ranks are histogrammed; chains that
 * mix have near-uniform histograms.
 */
final class McmcPlots {
    private McmcPlots() {}

    /** Parameters plotted at most (the first ones). */
    static final int MAX_PARAMETERS = 4;

    /**
     * Fractional ranks 1..S of the pooled draws x[c][i] (S = total count), ties given their average
     * rank, returned per chain in the input's shape.
     */
    static double[][] ranks(double[][] x) {
        int s = 0;
        for (double[] c : x) s += c.length;
        int[][] at = new int[s][];
        double[] v = new double[s];
        int k = 0;
        for (int c = 0; c < x.length; c++) for (int i = 0; i < x[c].length; i++) { at[k] = new int[] {c, i}; v[k++] = x[c][i]; }
        Integer[] order = IntStream.range(0, s).boxed().sorted(Comparator.comparingDouble(j -> v[j])).toArray(Integer[]::new);
        double[][] r = new double[x.length][];
        for (int c = 0; c < x.length; c++) r[c] = new double[x[c].length];
        for (int lo = 0; lo < s; ) {
            int hi = lo;
            while (hi + 1 < s && v[order[hi + 1]] == v[order[lo]]) hi++;
            double rank = (lo + hi) / 2.0 + 1;   // ties: the mean of the 1-based ranks lo+1 .. hi+1
            for (int j = lo; j <= hi; j++) r[at[order[j]][0]][at[order[j]][1]] = rank;
            lo = hi + 1;
        }
        return r;
    }

    /** Counts of each chain's ranks (1..S) in {@code bins} equal bins of [0.5, S + 0.5]. */
    static int[][] rankHistogram(double[][] ranks, int bins) {
        int s = 0;
        for (double[] c : ranks) s += c.length;
        int[][] h = new int[ranks.length][bins];
        for (int c = 0; c < ranks.length; c++)
            for (double r : ranks[c]) h[c][Math.min(bins - 1, (int) ((r - 0.5) / s * bins))]++;
        return h;
    }

    /** The bin count: about 50 draws per chain per bin expected, between 5 and 20 bins. */
    static int bins(int drawsPerChain) { return Math.max(5, Math.min(20, drawsPerChain / 50)); }

    /**
     * trace.png. {@code draws[c]} is chain c's draws (n×p, the written space, names as {@code names}),
     * {@code divergent[c][i]} marks a divergent transition.
     */
    static void write(Path file, List<String> names, double[][][] draws, boolean[][] divergent, String title) throws IOException {
        int chains = draws.length, n = draws[0].length, k = Math.min(MAX_PARAMETERS, names.size());
        int rowH = 200, top = 90;
        Plot p = new Plot(1000, top + k * rowH + 10);
        var g = p.g;
        int ndiv = 0;
        for (boolean[] c : divergent) for (boolean b : c) if (b) ndiv++;
        for (int j = 0; j < k; j++) {
            double[][] x = new double[chains][n];
            for (int c = 0; c < chains; c++) for (int i = 0; i < n; i++) x[c][i] = draws[c][i][j];
            double[] r = Plot.range(Arrays.stream(x).flatMapToDouble(Arrays::stream).toArray());
            int y0 = top + j * rowH;
            Plot.Frame f = new Plot.Frame(80, y0 + 22, 560, rowH - 70, 1, Math.max(2, n), r[0], r[1]);
            g.setClip(f.left(), f.top(), f.width(), f.height());
            g.setStroke(new BasicStroke(0.8f));
            double[] it = IntStream.rangeClosed(1, n).asDoubleStream().toArray();
            for (int c = 0; c < chains; c++) {
                Color col = Plot.CHAINS[c % Plot.CHAINS.length];
                g.setColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 150));
                FitPlots.line(g, f, it, x[c]);
            }
            g.setClip(null);
            g.setColor(Plot.BAD);
            g.setStroke(new BasicStroke(1.5f));
            for (int c = 0; c < chains; c++)
                for (int i = 0; i < n; i++)
                    if (divergent[c][i]) {
                        double px = f.px(i + 1);
                        g.draw(new Line2D.Double(px, f.bottom() - 8, px, f.bottom()));   // a rug of divergences under the traces
                    }
            p.axes(f, j == k - 1 ? "iteration (after warm-up)" : null, null, true);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.setColor(Plot.INK);
            g.drawString(names.get(j) + ": trace", f.left(), f.top() - 6);

            // rank plot: one band per chain, bars of the rank counts, dashed line at the uniform expectation
            int bins = bins(n);
            int[][] h = rankHistogram(ranks(x), bins);
            double expected = (double) n / bins;
            int max = Arrays.stream(h).flatMapToInt(Arrays::stream).max().orElse(1);
            double band = Math.max(max, 2 * expected) * 1.05;
            Plot.Frame rf = new Plot.Frame(700, y0 + 22, 270, rowH - 70, 0.5, chains * n + 0.5, 0, chains * band);
            for (int c = 0; c < chains; c++) {
                Color col = Plot.CHAINS[c % Plot.CHAINS.length];
                double base = c * band;
                for (int b = 0; b < bins; b++) {
                    double xa = rf.px(0.5 + (double) b * chains * n / bins), xb = rf.px(0.5 + (double) (b + 1) * chains * n / bins);
                    g.setColor(col);
                    g.fill(new Rectangle2D.Double(xa + 0.5, rf.py(base + h[c][b]), xb - xa - 1, rf.py(base) - rf.py(base + h[c][b])));
                }
                g.setColor(Plot.INK);
                g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 3}, 0));
                g.draw(new Line2D.Double(rf.left(), rf.py(base + expected), rf.left() + rf.width(), rf.py(base + expected)));
            }
            g.setStroke(new BasicStroke(1.2f));
            g.setColor(Plot.INK);
            g.drawRect(rf.left(), rf.top(), rf.width(), rf.height());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int c = 0; c < chains; c++) g.drawString(Integer.toString(c + 1), rf.left() - 12, (int) rf.py(c * band + band / 2) + 4);
            if (j == k - 1) g.drawString("rank of the pooled draws (1 … " + chains * n + ")", rf.left() + 20, rf.bottom() + 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.drawString(names.get(j) + ": rank plot by chain", rf.left(), rf.top() - 6);
        }
        p.title(title, "first " + k + " of " + names.size() + " parameters; " + ndiv + " divergent transition(s)"
                + (ndiv > 0 ? " marked red under the traces" : "") + "; rank plot: " + bins(n) + " bins, dashed = uniform");
        List<Plot.Legend> items = new ArrayList<>();
        for (int c = 0; c < chains && c < Plot.CHAINS.length; c++) items.add(new Plot.Legend("chain " + (c + 1), Plot.CHAINS[c], '-'));
        if (ndiv > 0) items.add(new Plot.Legend("divergent", Plot.BAD, '-'));
        p.legendRow(20, 72, items);
        p.write(file);
    }
}
