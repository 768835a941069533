package sivi.bench.harness;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark plot's axes: 1-2-5 log ticks, short labels, a non-negative linear axis from 0; the PNG decodes. */
class LinePlotTest {
    @TempDir Path tmp;

    @Test void logTicksAreOneTwoFiveWithinThreeDecadesAndPowersOfTenBeyond() {
        assertEquals(List.of(1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0), LinePlot.logTicks(1, 300));
        assertEquals(List.of(0.02, 0.05, 0.1), LinePlot.logTicks(0.015, 0.12));
        assertEquals(List.of(1.0, 10.0, 100.0, 1000.0, 1e4, 1e5, 1e6), LinePlot.logTicks(1, 1e6));
        assertEquals(9, LinePlot.logTicks(1e-8, 1e8).size(), "16 decades: every second power of ten");
    }

    @Test void labelsAreShort() {
        assertEquals("5000", LinePlot.label(5000));
        assertEquals("0.02", LinePlot.label(0.02));
        assertEquals("2e6", LinePlot.label(2e6));
        assertEquals("1.5e-5", LinePlot.label(1.5e-5));
        assertEquals("0.25", LinePlot.label(0.25));
    }

    @Test void linearTicksAreNiceSteps() {
        assertEquals(List.of(0.0, 2.0, 4.0, 6.0, 8.0), LinePlot.ticks(0, 9, 5));
        assertEquals(List.of(-0.5, 0.0, 0.5), LinePlot.ticks(-0.6, 0.7, 3));
    }

    @Test void nonNegativeLinearAxisStartsAtZeroAndLogAxisPadsByAFactor() {
        assertArrayEquals(new double[] {0, 10.1}, LinePlot.pad(8, 10, false, true), 1e-12);   // GFLOP/s: never a negative axis
        assertArrayEquals(new double[] {-1.05, 11.05}, LinePlot.pad(-0.5, 10.5, false, false), 1e-12);   // 5 % of the range 11
        double[] log = LinePlot.pad(1, 100, true, false);
        assertEquals(100 / Math.pow(100, 1.05) , log[0], 1e-12);
        assertEquals(Math.pow(100, 1.05), log[1], 1e-9);
    }

    @Test void writesADecodablePngWideEnoughForItsLegend() throws Exception {
        Path f = tmp.resolve("p.png");
        new LinePlot("t", "n", "GFLOP/s", true, false).horizontal("peak", 30)
                .add("a series with a rather long name, threads 2", new double[] {16, 256, 4096, 65536}, new double[] {0.5, 3, 12, 11}).write(f);
        BufferedImage img = ImageIO.read(f.toFile());
        assertTrue(img.getWidth() > 80 + 600 + 250, "the right margin grows with the legend: " + img.getWidth());
        assertEquals(40 + 420 + 60, img.getHeight());
    }
}
