package sivi.fit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class WhiteningTest {
    @Test void choleskyOfACovarianceAndJitterForASemidefiniteOne() {
        double[][] cov = {{4, 2, 0.4}, {2, 5, 1}, {0.4, 1, 3}};
        double[][] l = Whitening.cholesky(cov);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double v = 0;
                for (int k = 0; k < 3; k++) v += l[i][k] * l[j][k];
                assertEquals(cov[i][j], v, 1e-12);
            }
        // rank one (two identical coordinates): a tiny diagonal jitter makes it factorable
        double[][] rank1 = {{1, 1}, {1, 1}};
        double[][] lj = Whitening.cholesky(rank1);
        assertTrue(lj[1][1] > 0 && lj[1][1] < 1e-3, "jittered " + lj[1][1]);
        assertThrows(IllegalStateException.class, () -> Whitening.cholesky(new double[][] {{-1}}));
    }

    @Test void theMapRoundTripsThroughItsJson() {
        Whitening.Result w = new Whitening.Result("laplace", new double[] {1.5, -2}, new double[][] {{2, 0}, {0.5, 0.25}});
        Whitening.Result back = Whitening.Result.fromJson(w.toJson());
        assertEquals("laplace", back.source());
        assertArrayEquals(w.location(), back.location());
        for (int i = 0; i < 2; i++) assertArrayEquals(w.lower()[i], back.lower()[i]);
    }
}
