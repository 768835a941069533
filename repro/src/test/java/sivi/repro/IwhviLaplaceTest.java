package sivi.repro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.autodiff.GradMode;
import sivi.data.Json;
import sivi.kernels.Rng;
import sivi.tensor.DType;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Laplace toy's pieces and a miniature of the reproduction. Bounds are compared at 4 SE
 * (two-sided false alarm 6·10⁻⁵; seeds fixed).
 */
class IwhviLaplaceTest {
    /** The scale mixture really is the Laplace: E log q(z) from draws matches −d(1 + ln 2). */
    @Test void mixtureDrawsHaveTheLaplaceEntropy() {
        HierarchicalLaplace q = new HierarchicalLaplace(IwhviLaplace.DIM, DType.F64);
        double[] lq = GradMode.noGrad(() -> q.logDensity(null, q.sample(null, new Rng(3), 4000).x()).value().toDoubleArray());
        double s = 0, s2 = 0;
        for (double v : lq) { s += v; s2 += v * v; }
        double mean = s / lq.length, se = Math.sqrt((s2 / lq.length - mean * mean) / lq.length);
        assertEquals(IwhviLaplace.EXACT, mean, 4 * se);
        assertEquals(-84.657, IwhviLaplace.EXACT, 5e-4);
    }

    /** Tiny training budget: the bounds are valid (≥ exact), IWHVI beats SIVI, and both tighten with K. */
    @Test void miniatureTableHasTheExpectedOrdering() {
        var rows = IwhviLaplace.table(new IwhviLaplace.Config(200, 16, 300, 16, 1e-2, 5, 1), new int[] {0, 10});
        for (var r : rows) {
            assertTrue(r.iwhvi() >= IwhviLaplace.EXACT - 4 * r.iwhviSe(), "IWHVI below the exact value: " + r);
            assertTrue(r.sivi() >= IwhviLaplace.EXACT - 4 * r.siviSe(), "SIVI below the exact value: " + r);
            assertTrue(r.iwhvi() < r.sivi() - 4 * Math.hypot(r.iwhviSe(), r.siviSe()), "learned tau no better than the prior: " + r);
        }
        assertTrue(rows.get(1).sivi() < rows.get(0).sivi(), "SIVI bound not tighter at K=10");
        assertTrue(rows.get(1).iwhvi() < rows.get(0).iwhvi(), "IWHVI bound not tighter at K=10");
    }

    @Test void quickRunWritesResultJson(@TempDir Path dir) throws Exception {
        // the quick configuration itself is exercised by the CLI; here only the file format, with K = 0
        var rows = IwhviLaplace.table(new IwhviLaplace.Config(5, 4, 50, 4, 1e-2, 0, 1), new int[] {0});
        assertEquals(1, rows.size());
        IwhviLaplace.write(rows, false, dir);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("result.json")));
        assertEquals(-84.657, ((Number) json.get("exact")).doubleValue(), 1e-9);
        List<?> rs = (List<?>) json.get("rows");
        assertEquals(0, ((Number) ((Map<?, ?>) rs.get(0)).get("K")).intValue());
    }
}
