package sivi.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SoakTest {
    private static double[] minutes(int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = 60.0 * i;
        return t;
    }

    @Test void aWarmUpRiseThenAPlateauIsFlat() {
        double[] t = minutes(61), rss = new double[61];
        for (int i = 0; i < 61; i++) rss[i] = i < 5 ? 10 + 60 * i : 300 + (i % 2);   // start-up growth, then ±0.5 MiB GC noise
        Soak.Verdict v = Soak.verdict(t, rss);
        assertTrue(v.flat(), v.toString());
        assertEquals(45, v.spanMinutes(), 1e-9);
    }

    @Test void steadyGrowthAfterWarmUpIsNotFlat() {
        double[] t = minutes(61), rss = new double[61];
        for (int i = 0; i < 61; i++) rss[i] = 300 + 0.5 * i;   // 22.5 MiB over the last 45 minutes: 7 % of 307.5
        Soak.Verdict v = Soak.verdict(t, rss);
        assertFalse(v.flat(), v.toString());
        assertEquals(30, v.slopeMiBPerHour(), 1e-9);
        assertEquals(22.5, v.growthMiB(), 1e-9);
    }
}
