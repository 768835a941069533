package sivi.repro;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SeedStatsTest {
    @Test void meanAndSampleSd() {
        SeedStats s = SeedStats.of(new double[] {1, 2, 3, 4});
        assertEquals(2.5, s.mean(), 1e-15);
        assertEquals(Math.sqrt(5.0 / 3), s.sd(), 1e-15);   // Σ(x−2.5)² = 5, n − 1 = 3
        assertEquals("2.50 ± 1.29", s.format("%.2f"));
        assertEquals("7.0", SeedStats.of(new double[] {7}).format("%.1f"));
        assertEquals("–", SeedStats.of(new double[] {1, Double.NaN}).format("%.1f"), "a failed seed is not averaged away");
    }

    @Test void seedsDefaultOrOneToN() {
        assertEquals(List.of(2022L), SeedStats.seeds(ReproOptions.of(true), 2022));
        assertEquals(List.of(1L, 2L, 3L), SeedStats.seeds(new ReproOptions(false, 3, List.of(), List.of()), 2022));
    }

    @Test void paperValueWithCitationOrDash() {
        PaperValue p = PaperValue.of(0.123, "Some et al. 2024, Table 2");
        assertEquals("0.12", p.format("%.2f"));
        assertEquals(0.123, p.toJson().get("value"));
        PaperValue none = PaperValue.none("only plots");
        assertEquals("–", none.format("%.2f"));
        assertNull(none.toJson().get("value"));
        assertThrows(IllegalArgumentException.class, () -> PaperValue.of(Double.NaN, "x"));
        assertThrows(IllegalArgumentException.class, () -> PaperValue.none(" "));
    }
}
