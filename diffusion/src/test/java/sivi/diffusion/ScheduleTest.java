package sivi.diffusion;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ScheduleTest {
    @Test void quadGridForElevenLevelsMatchesHsivi() {
        assertArrayEquals(new double[] {0, 8, 32, 72, 128, 200, 288, 392, 512, 648, 800}, TimeGrid.quad(11).t());
    }

    @Test void uniformGridTakesTheFirstNEntries() {
        assertArrayEquals(new double[] {0, 166, 332, 498, 664, 830}, TimeGrid.uniform(6, 1000).t());
    }

    @Test void linearScheduleMatchesTheProductFormula() {
        NoiseSchedule s = NoiseSchedule.ddpm();
        double p = 1;
        for (int t = 0; t <= 500; t++) p *= 1 - (1e-4 + (0.02 - 1e-4) * t / 999.0);
        assertEquals(p, s.alphaBar(500), 1e-12 * p);
        assertEquals(1 - 1e-4, s.alphaBar(0), 1e-15);
    }

    @Test void lambdaInverseRoundTrips() {
        NoiseSchedule s = NoiseSchedule.ddpm();
        for (double t : new double[] {0.5, 17.25, 400, 799.9}) assertEquals(t, s.timeOfLambda(s.lambda(t)), 1e-8);
    }
}
