package sivi.fit;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sivi.optim.Adam;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** The one gradient gate of every method: non-finite gradients stop (or skip) the update, found in place on views of either dtype. */
class TrainStateTest {
    /** A view at offset 1 of a longer tensor, so a check that ignored the offset would look at the wrong elements. */
    static Tensor view(DType dt, double... v) {
        double[] padded = new double[v.length + 2];
        padded[0] = Double.NaN;                              // outside the view: must not be seen
        System.arraycopy(v, 0, padded, 1, v.length);
        padded[v.length + 1] = Double.POSITIVE_INFINITY;    // outside the view
        return Tensor.of(dt, padded, padded.length).slice(0, 1, v.length + 1);
    }

    @Test void firstNonFiniteFindsNanAndInfinityInViewsOfBothDtypes() {
        for (DType dt : DType.values()) {
            assertEquals(-1, TrainState.firstNonFinite(view(dt, 1, -2, 3)), dt.label());
            assertEquals(2, TrainState.firstNonFinite(view(dt, 1, -2, Double.NaN, 4)), dt.label());
            assertEquals(0, TrainState.firstNonFinite(view(dt, Double.NEGATIVE_INFINITY, 0)), dt.label());
            assertEquals(-1, TrainState.firstNonFinite(view(dt)), dt.label());
        }
        // 1e39 overflows to +∞ in f32 but is finite in f64
        assertEquals(0, TrainState.firstNonFinite(Tensor.of(DType.F32, new double[] {1e39}, 1)));
        assertEquals(-1, TrainState.firstNonFinite(Tensor.of(DType.F64, new double[] {1e39}, 1)));
    }

    static TrainState state(DType dt) {
        TrainState s = new TrainState();
        s.params().put("q.w", Tensor.of(dt, new double[] {0.5, -1, 2}, 3));
        s.addGroup("q", List.of("q."), Adam.reference(), it -> 0.1, 0);
        return s;
    }

    @Test void aNonFiniteGradientStopsNamingTheParameterAndValueOrIsSkipped() {
        for (DType dt : DType.values()) {
            TrainState s = state(dt);
            var e = assertThrows(NonFiniteException.class, () -> s.apply("q", Map.of("q.w", view(dt, 1, Double.NaN, 3)), 7));
            assertTrue(e.getMessage().contains("q.w") && e.getMessage().contains("NaN") && e.getMessage().contains("iteration 7"), e.getMessage());
            double[] before = s.params().get("q.w").toDoubleArray();
            s.setSkipNonFinite(true);
            assertFalse(s.apply("q", Map.of("q.w", view(dt, Double.POSITIVE_INFINITY, 0, 0)), 8));
            assertArrayEquals(before, s.params().get("q.w").toDoubleArray(), 0.0, "skipped: unchanged");
            assertTrue(s.apply("q", Map.of("q.w", view(dt, 1, 1, 1)), 9));
            assertNotEquals(before[0], s.params().get("q.w").get(0));
        }
    }
}
