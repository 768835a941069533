package sivi.metrics;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class MomentErrorsAndPredictiveTest {
    @Test
    void momentErrorsOfHandCase() {
        // Sample (0,0), (2,2): mean (1,1), sd sqrt 2, correlation 1; reference mean 0, sd 1, corr 0.
        double[][] x = {{0, 0}, {2, 2}};
        MomentErrors e = MomentErrors.of(x, new double[] {0, 0}, new double[] {1, 1}, new double[][] {{1, 0}, {0, 1}});
        assertEquals(1, e.meanMax(), 1e-15);
        assertEquals(1, e.meanRms(), 1e-15);
        assertEquals(Math.sqrt(2) - 1, e.sdMax(), 1e-15);
        assertEquals(1, e.corrMax(), 1e-15);
        MomentErrors self = MomentErrors.of(x, x);
        assertEquals(0, self.meanMax() + self.sdMax() + self.corrMax(), 1e-15);
    }

    @Test
    void logisticPredictiveOfHandCase() {
        // Draw 1 w = 0 gives p = 1/2; draw 2 w = (ln 3, ln 3) gives sigmoid(ln 3) = 3/4 at both points.
        // Point 1 (y = 1): (1/2 + 3/4)/2 = 5/8. Point 2 (y = 0): (1/2 + 1/4)/2 = 3/8.
        double l3 = Math.log(3);
        Predictive.Classification c = Predictive.logistic(new double[][] {{1, 0}, {0, 1}}, new double[] {1, 0},
                new double[][] {{0, 0}, {l3, l3}});
        assertEquals((Math.log(5.0 / 8) + Math.log(3.0 / 8)) / 2, c.logLikelihood(), 1e-14);
        assertEquals(0.5, c.accuracy()); // both points predict 1 (p1 = 5/8)
    }

    @Test
    void logisticPredictiveIsStableForLargeMargins() {
        // log sigmoid(-1000) = -1000 - log1p(e^-1000) = -1000 to double precision; exp would underflow.
        Predictive.Classification c = Predictive.logistic(new double[][] {{1}}, new double[] {0}, new double[][] {{1000}, {1000}});
        assertEquals(-1000, c.logLikelihood(), 1e-12);
        assertEquals(0, c.accuracy());
    }

    @Test
    void regressionPredictiveOfHandCase() {
        // f = [[1, 2], [3, 2]], sigma = (1, 2), y = (2, 2): the predictive means are (2, 2), RMSE 0.
        Predictive.Regression r = Predictive.regression(new double[][] {{1, 2}, {3, 2}}, new double[] {1, 2}, new double[] {2, 2});
        double c = 1 / Math.sqrt(2 * Math.PI);
        double p1 = (c * Math.exp(-0.5) + c / 2 * Math.exp(-0.125)) / 2, p2 = (c + c / 2) / 2;
        assertEquals(0, r.rmse(), 1e-15);
        assertEquals((Math.log(p1) + Math.log(p2)) / 2, r.logLikelihood(), 1e-14);
        Predictive.Regression off = Predictive.regression(new double[][] {{0, 0}}, new double[] {1}, new double[] {3, -4});
        assertEquals(Math.sqrt(12.5), off.rmse(), 1e-14);
    }
}
