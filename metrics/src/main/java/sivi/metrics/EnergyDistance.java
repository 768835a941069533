package sivi.metrics;

/**
 * The energy distance (Székely &amp; Rizzo 2013, "Energy statistics", J. Stat. Plan. Inference 143)
 * <pre>  E(P, Q) = 2 E|X - Y| - E|X - X'| - E|Y - Y'|  </pre>
 * estimated without bias by the U-statistic with i != j in the within-sample terms. It equals the
 * MMD^2 of the kernel k(a, b) = -|a - b| (Sejdinovic et al. 2013, Ann. Stat. 41), so the estimate and
 * its standard error come from {@link TwoSampleU}.
 */
public record EnergyDistance(double value, double standardError) {

    public static EnergyDistance of(double[][] x, double[][] y) {
        TwoSampleU.Result r = TwoSampleU.estimate(x, y, (a, b) -> -Math.sqrt(Samples.sqDist(a, b)));
        return new EnergyDistance(r.value(), r.standardError());
    }
}
