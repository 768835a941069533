package sivi.amortised;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.fit.Fit;
import sivi.fit.FitConfig;
import sivi.fit.Options;
import sivi.fit.Progress;
import sivi.fit.Trainer;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

/** The MNIST subset and its split, and training through the one Trainer (tiny networks, few iterations). */
class AmortisedViTest {
    static final Mnist MNIST = Mnist.load();

    @Test void subsetHasTenThousandLabelledImagesAndADisjointSplit() {
        assertEquals(Mnist.COUNT, MNIST.size());
        int[] perDigit = new int[10];
        for (int l : MNIST.labels()) perDigit[l]++;
        // the image counts of 0.json … 9.json in the npm package
        assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, perDigit);
        Mnist.Split3 s = Mnist.split();
        assertEquals(8000, s.train().length);
        assertEquals(1000, s.validation().length);
        assertEquals(1000, s.test().length);
        boolean[] seen = new boolean[Mnist.COUNT];
        for (int[] part : new int[][] {s.train(), s.validation(), s.test()}) for (int i : part) { assertFalse(seen[i], "image " + i + " twice"); seen[i] = true; }
    }

    @Test void binarisationIsBernoulliInTheGreyLevel() {
        // over 50 images × 784 pixels the binary mean matches the grey-level mean within 4 standard
        // errors (sd of a Bernoulli ≤ 1/2)
        int[] rows = Arrays.copyOf(Mnist.split().train(), 50);
        double[] bin = MNIST.binarised(rows, new Rng(1), DType.F64).toDoubleArray(), grey = MNIST.intensities(rows, DType.F64).toDoubleArray();
        double mb = 0, mg = 0;
        for (int i = 0; i < bin.length; i++) {
            assertTrue(bin[i] == 0 || bin[i] == 1);
            mb += bin[i] / bin.length;
            mg += grey[i] / grey.length;
        }
        assertEquals(mg, mb, 4 * 0.5 / Math.sqrt(bin.length));
    }

    static final Options TINY = Options.of("latent", "3", "hidden", "8", "noise", "2", "batch", "10");

    static FitConfig config(int its, Path ckpt, boolean resume) {
        return FitConfig.defaults(its).withDType(DType.F64).withSeed(3).withDraws(0).withCheckpoint(ckpt, 0, resume);
    }

    @Test void resumedTrainingIsBitIdenticalToAnUninterruptedRun(@TempDir Path dir) {
        for (Options o : new Options[] {TINY.with("model", "vae").with("objective", "iwae").with("k", 3),
                TINY.with("model", "sivae").with("objective", "iwhvi").with("k", 3)}) {
            int[] train = Arrays.copyOf(Mnist.split().train(), 40);
            Fit whole = Trainer.fit(new AmortisedVi(MNIST, train), AmortisedVi.target("mnist"), o, config(12, dir.resolve("a.bin"), false), Progress.SILENT);
            Trainer.fit(new AmortisedVi(MNIST, train), AmortisedVi.target("mnist"), o, config(5, dir.resolve("b.bin"), false), Progress.SILENT);
            Fit resumed = Trainer.fit(new AmortisedVi(MNIST, train), AmortisedVi.target("mnist"), o, config(12, dir.resolve("b.bin"), true), Progress.SILENT);
            for (String k : whole.params().names())
                assertArrayEquals(whole.params().get(k).toDoubleArray(), resumed.params().get(k).toDoubleArray(), o + " " + k);
            double[] obj = whole.trace().objective();
            for (double v : obj) assertTrue(Double.isFinite(v));
        }
    }

    @Test void evaluationGivesFiniteBoundsWithTheImportanceWeightedOneAboveTheAverage() {
        for (String model : new String[] {"vae", "sivae"}) {
            int[] train = Arrays.copyOf(Mnist.split().train(), 40);
            Fit fit = Trainer.fit(new AmortisedVi(MNIST, train), AmortisedVi.target("mnist"), TINY.with("model", model), config(3, null, false), Progress.SILENT);
            AmortisedVi.Run run = (AmortisedVi.Run) fit.session();
            Tensor x = MNIST.binarised(Arrays.copyOf(Mnist.split().test(), 3), new Rng(2), DType.F64);
            double[][] b = run.bounds(x, 20, 4, new Rng(4));
            // log mean w ≥ mean log w for the same draws (Jensen), exactly
            for (int i = 0; i < 3; i++) assertTrue(Double.isFinite(b[0][i]) && b[1][i] >= b[0][i], model + " image " + i);
            assertArrayEquals(new int[] {3, Mnist.PIXELS}, run.reconstruct(x, new Rng(5)).shape());
            assertArrayEquals(new int[] {4, Mnist.PIXELS}, run.sample(new Rng(6), 4).shape());
        }
    }

    @Test void badOptionsAreOneLineErrors() {
        int[] train = Arrays.copyOf(Mnist.split().train(), 40);
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(new AmortisedVi(MNIST, train), AmortisedVi.target("mnist"),
                TINY.with("model", "vae").with("objective", "iwhvi"), config(1, null, false), Progress.SILENT));
        assertEquals("objective of vae must be one of [elbo, iwae], got 'iwhvi'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Trainer.fit(new AmortisedVi(MNIST, train), AmortisedVi.target("mnist"),
                TINY.with("model", "gan"), config(1, null, false), Progress.SILENT));
    }
}
