package sivi.methods;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.fit.PathfinderInits;
import sivi.targets.Target;

/**
 * Chains started from multi-path Pathfinder's resampled draws avoid a mode of negligible mass that attracts
 * L-BFGS paths: p = (1 − w) N(−1.5, 0.3²) + w N(1.5, 0.3²), w = 1e-6. A path started right of the saddle
 * near 0 ends at +1.5 (half of the uniform starts on (−2, 2)); its draws get weight ≈ w relative to the major
 * path's, so a resampled draw lies there with probability ≈ 1e-6 per draw.
 */
class PathfinderInitsTest {
    static final double W = 1e-6;

    static Target minorMode() {
        return Target.of("minor-mode", 1, x -> {
            Var major = Ops.addScalar(Ops.scale(Ops.square(Ops.scale(Ops.addScalar(x, 1.5), 1 / 0.3)), -0.5), Math.log(1 - W));
            Var minor = Ops.addScalar(Ops.scale(Ops.square(Ops.scale(Ops.addScalar(x, -1.5), 1 / 0.3)), -0.5), Math.log(W));
            return Ops.logSumExp(Ops.concat(1, major, minor), 1, false);
        });
    }

    @Test void initsLieInTheMajorModeWhenSomePathsEndAtTheMinorOne() {
        Target t = minorMode();
        int seedsWithAMinorPath = 0;
        for (long seed = 1; seed <= 6; seed++) {
            PathfinderInits.Result r = PathfinderInits.draw(t, 4, 6, seed);
            assertEquals(4, r.inits().length);
            for (double[] x : r.inits()) assertTrue(x[0] < 0 && Math.abs(x[0] + 1.5) < 6 * 0.3, "seed " + seed + ": init " + x[0]);
            for (int c = 1; c < 4; c++) assertNotEquals(r.inits()[0][0], r.inits()[c][0], "seed " + seed + ": distinct inits");
            if (java.util.Arrays.stream(r.pathMeans()).anyMatch(m -> m[0] > 0)) seedsWithAMinorPath++;
        }
        // P(no path of 6 starts right of 0) = 1/64 per seed: the check above was exercised
        assertTrue(seedsWithAMinorPath >= 3, "only " + seedsWithAMinorPath + " of 6 seeds had a path at the minor mode");
    }

    @Test void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PathfinderInits.draw(minorMode(), 0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> PathfinderInits.draw(minorMode(), 2, 1, 1));
    }
}
