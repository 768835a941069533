package sivi.posteriordb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import sivi.kernels.Rng;
import sivi.mcmc.LogDensityGradient;
import sivi.targets.McmcAdapter;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A measurement, not a check of speed (tag "slow"): the cost of one log-density + gradient of each port,
 * as NUTS pays it (one point, {@link McmcAdapter}: the port's point path), as it paid it before the point
 * paths (log p without a tape, then the score by autodiff) and per row of a batch of 100 (as the VI methods
 * pay it). Writes target/pdb-gradient-cost.tsv; median over repeats of at least 0.3 s after a warm-up.
 * <pre>mvn -B -o -pl posteriordb -am test -Dtest=GradientCostTest -Dsivi.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@Tag("slow")
class GradientCostTest {
    @Test void costPerGradient() throws Exception {
        Path out = Path.of("target", "pdb-gradient-cost.tsv");
        Files.writeString(out, "posterior\tdim\tms_per_gradient_n1\tms_per_gradient_n1_two_passes\tms_per_row_n100\n");
        for (String p : Posteriors.names()) {
            Target t = Posteriors.create(p);
            LogDensityGradient f = McmcAdapter.of(t);
            double[][] x0 = References.inits(f, 1, Rng.of(7, 1));
            double[] g = new double[t.dim()];
            double one = median(() -> f.evaluate(x0[0], g));
            // what NUTS paid before the point paths (session 10): log p without a tape, then the score by autodiff
            Tensor x1 = Tensor.of(DType.F64, x0[0].clone(), 1, t.dim());
            double twoPasses = median(() -> {
                sivi.autodiff.GradMode.noGrad(() -> t.logDensity(sivi.autodiff.Var.constant(x1)).value());
                t.scoreValue(x1);
            });
            double[] rows = new double[100 * t.dim()];
            for (int i = 0; i < 100; i++) System.arraycopy(x0[0], 0, rows, i * t.dim(), t.dim());
            Tensor batch = Tensor.of(DType.F64, rows, 100, t.dim());
            double hundred = median(() -> t.scoreValue(batch)) / 100;
            assertTrue(Arrays.stream(g).allMatch(Double::isFinite), p);
            String line = String.format(java.util.Locale.ROOT, "%s\t%d\t%.4f\t%.4f\t%.4f%n", p, t.dim(), one, twoPasses, hundred);
            Files.writeString(out, line, StandardOpenOption.APPEND);
            System.out.print("pdb-cost\t" + line);
        }
    }

    /** Median milliseconds of r over repeats (3 warm-up calls, then at least 5 calls and 0.3 s). */
    static double median(Runnable r) {
        for (int i = 0; i < 3; i++) r.run();
        double[] ms = new double[1000];
        int n = 0;
        long start = System.nanoTime();
        while (n < ms.length && (n < 5 || System.nanoTime() - start < 300_000_000L)) {
            long t0 = System.nanoTime();
            r.run();
            ms[n++] = (System.nanoTime() - t0) / 1e6;
        }
        double[] a = Arrays.copyOf(ms, n);
        Arrays.sort(a);
        return a[n / 2];
    }
}
