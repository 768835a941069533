package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.cli.MainTest.run;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.targets.Targets;

/** The data behind the plots (ranks, rank histograms, smoothing, the choice of marginals, ticks) by hand, and the plot files of real runs. */
class PlotsTest {
    @TempDir Path tmp;

    @Test void ranksPoolTheChainsAndAverageTies() {
        // pooled values 3, 1, 2, 2, 5 (chain 1: 3, 1; chain 2: 2, 2, 5): sorted 1, 2, 2, 3, 5 -> ranks 1, 2.5, 2.5, 4, 5
        double[][] r = McmcPlots.ranks(new double[][] {{3, 1}, {2, 2, 5}});
        assertArrayEquals(new double[] {4, 1}, r[0]);
        assertArrayEquals(new double[] {2.5, 2.5, 5}, r[1]);
    }

    @Test void rankHistogramCountsEachChainsRanksInEqualBins() {
        // S = 6 ranks in 3 bins of [0.5, 6.5]: {1, 2}, {3, 4}, {5, 6}
        int[][] h = McmcPlots.rankHistogram(new double[][] {{1, 2, 6}, {3, 4, 5}}, 3);
        assertArrayEquals(new int[] {2, 0, 1}, h[0]);
        assertArrayEquals(new int[] {0, 2, 1}, h[1]);
        // a tie at the bin edge (rank 2.5 of S = 4, 2 bins: edge at 2.5) goes to the upper bin
        assertArrayEquals(new int[] {1, 1}, McmcPlots.rankHistogram(new double[][] {{1, 2.5}}, 2)[0]);
    }

    @Test void binCountKeepsAboutFiftyDrawsPerBinWithinFiveToTwenty() {
        assertEquals(5, McmcPlots.bins(100));
        assertEquals(8, McmcPlots.bins(400));
        assertEquals(20, McmcPlots.bins(100_000));
    }

    @Test void trailingMeanAveragesTheLastTenthOfTheIterations() {
        double[] y = new double[25];
        for (int i = 0; i < y.length; i++) y[i] = i;
        double[] m = FitPlots.trailingMean(y);
        assertEquals(0, m[0]);       // window 1
        assertEquals(9, m[9]);       // i + 1 = 10: window 1
        assertEquals(9.5, m[10]);    // i + 1 = 11: window 2, mean of 9 and 10
        assertEquals(23, m[24]);     // i + 1 = 25: window 3, mean of 22, 23, 24
    }

    @Test void zScoresAreMeanErrorsInReferenceSds() {
        double[][] ref = {{0, 10}, {2, 10}, {4, 10}, {6, 16}};   // means 3 and 11.5, sds (n - 1) sqrt(20/3) and 3
        double[][] x = {{5, 11.5}, {5, 11.5}};
        double[] z = FitPlots.zScores(x, ref);
        assertEquals(2 / Math.sqrt(20.0 / 3), z[0], 1e-12);
        assertEquals(0, z[1], 1e-12);
    }

    @Test void selectionShowsAllSmallTargetsAndTheWorstOfLargeOnes() {
        assertArrayEquals(new int[] {0, 1, 2}, FitPlots.selection(3, null));
        assertEquals(FitPlots.MAX_PANELS, FitPlots.selection(22, null).length);
        double[] z = new double[22];
        z[21] = -5; z[17] = 4; z[0] = 9;   // index 0 is shown anyway (one of the first)
        for (int j = 4; j < 21; j++) if (j != 17) z[j] = 0.01 * j;
        int[] s = FitPlots.selection(22, z);
        assertEquals(FitPlots.MAX_PANELS, s.length);
        List<Integer> shown = java.util.Arrays.stream(s).boxed().toList();
        assertTrue(shown.containsAll(List.of(0, 1, 2, 3, 17, 21)), shown.toString());
        // the other six are the largest remaining |z|: 20, 19, 18, 16, 15, 14
        assertTrue(shown.containsAll(List.of(20, 19, 18, 16, 15, 14)), shown.toString());
        assertEquals(shown.stream().sorted().toList(), shown, "in parameter order");
    }

    @Test void logTicksAreOneTwoFiveWithinThreeDecadesAndPowersOfTenBeyond() {
        assertEquals(List.of(1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0), sivi.bench.harness.LinePlot.logTicks(1, 300));
        assertEquals(List.of(0.02, 0.05, 0.1), sivi.bench.harness.LinePlot.logTicks(0.015, 0.12));
        assertEquals(List.of(1.0, 10.0, 100.0, 1000.0, 1e4, 1e5, 1e6), sivi.bench.harness.LinePlot.logTicks(1, 1e6));
        // 16 decades: every second power of ten, so the labels do not crowd
        assertEquals(9, sivi.bench.harness.LinePlot.logTicks(1e-8, 1e8).size());
    }

    @Test void fitWritesPlotAndTraceThatDecode() throws Exception {
        Path dir = tmp.resolve("fit");
        MainTest.Result r = run("fit", "--target", "funnel", "--method", "advi", "--iterations", "120", "--set", "batch=10", "--draws", "200", "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage plot = ImageIO.read(dir.resolve("plot.png").toFile()), trace = ImageIO.read(dir.resolve("trace.png").toFile());
        // funnel: d = 10 <= MAX_PANELS, so a 4 × 3 grid of 280 × 210 cells below a 90-pixel header
        assertEquals(30 + 4 * 280, plot.getWidth());
        assertEquals(90 + 3 * 210 + 10, plot.getHeight());
        assertEquals(860, trace.getWidth());
        assertEquals(480, trace.getHeight());
        assertTrue(nonWhite(plot) > 0.05 && nonWhite(trace) > 0.02, "the plots hold ink");
    }

    @Test void fitReferenceIsTheBestTheTargetHas() throws Exception {
        assertEquals("exact draws", FitPlots.reference(Targets.create("funnel")).orElseThrow().label());
        FitPlots.Reference lr = FitPlots.reference(Targets.create("lr-waveform")).orElseThrow();
        assertEquals("NUTS reference draws", lr.label());
        assertEquals(22, lr.names().size());
        FitPlots.Reference es = FitPlots.reference(Targets.create(PosteriordbCliTest.ES)).orElseThrow();
        assertEquals("posteriordb reference draws", es.label());
        assertEquals(4000, es.draws().length);
        assertTrue(FitPlots.reference(Targets.create("cond-diffusion-50")).isEmpty());
    }

    @Test void mcmcWritesTraceAndRankPlotsThatDecode() throws Exception {
        Path dir = tmp.resolve("mcmc");
        MainTest.Result r = run("mcmc", "--target", "funnel", "--warmup", "60", "--draws", "60", "--chains", "2", "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(dir.resolve("trace.png").toFile());
        assertEquals(1000, img.getWidth());
        assertEquals(90 + McmcPlots.MAX_PARAMETERS * 200 + 10, img.getHeight());
        assertTrue(nonWhite(img) > 0.05);
        Path quiet = tmp.resolve("mcmc-no-plot");
        assertEquals(0, run("mcmc", "--target", "funnel", "--warmup", "20", "--draws", "20", "--chains", "1", "--quiet", "--no-plot", "--out", quiet.toString()).code());
        assertFalse(Files.exists(quiet.resolve("trace.png")));
    }

    /** Fraction of pixels that are not white. */
    static double nonWhite(BufferedImage img) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) n++;
        return (double) n / ((long) img.getWidth() * img.getHeight());
    }
}
