package sivi.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** erfc and Φ⁻¹ against reference values (scipy.special.erfc / ndtri, double precision). */
class SpecialTest {
    @Test void erfcIsAccurateToAboutTenDigitsOverItsRange() {
        double[][] xw = {{0, 1.0}, {0.25, 0.7236736098317631}, {0.5, 0.4795001221869535}, {1, 0.15729920705028516}, {1.5, 0.03389485352468927},
                {1.99, 0.004888586800383002}, {2, 0.004677734981047266}, {2.5, 0.00040695201744495886}, {3, 2.2090496998585445e-05},
                {4, 1.541725790028002e-08}, {5, 1.5374597944280347e-12}, {6, 2.1519736712498913e-17}, {10, 2.0884875837625446e-45}};
        // the series branch loses at most log10(e^4) < 2 of 16 digits to cancellation, divided by erfc ≥ 0.0047
        for (double[] p : xw) {
            assertEquals(p[1], Special.erfc(p[0]), 1e-12 * p[1], "erfc(" + p[0] + ")");
            assertEquals(2 - p[1], Special.erfc(-p[0]), 1e-15 * 2, "erfc(" + -p[0] + ")");
        }
    }

    @Test void normalQuantileInvertsTheCdf() {
        double[][] pz = {{1e-10, -6.361340902404056}, {0.001, -3.090232306167813}, {0.02, -2.053748910631823}, {0.3, -0.5244005127080409},
                {0.5, 0}, {0.77, 0.7388468491852137}, {0.999, 3.090232306167813}};
        for (double[] p : pz) assertEquals(p[1], Special.normalQuantile(p[0]), 1e-12 * Math.max(1, Math.abs(p[1])), "Φ⁻¹(" + p[0] + ")");
    }
}
