package sivi.mcmc;

/**
 * A point of phase space (q, p) with the cached log density and score at q. Mutable; the
 * samplers copy points with {@link #copyFrom} instead of allocating.
 */
final class PhasePoint {
    final double[] q, p, grad;
    double logp;

    PhasePoint(int d) { q = new double[d]; p = new double[d]; grad = new double[d]; }

    void copyFrom(PhasePoint o) {
        System.arraycopy(o.q, 0, q, 0, q.length);
        System.arraycopy(o.p, 0, p, 0, p.length);
        System.arraycopy(o.grad, 0, grad, 0, grad.length);
        logp = o.logp;
    }

    PhasePoint copy() { PhasePoint c = new PhasePoint(q.length); c.copyFrom(this); return c; }

    /** H(q, p) = -log p(q) + p' M^-1 p / 2 with diagonal inverse metric; +inf if log p is not a number. */
    double hamiltonian(double[] invMetric) {
        if (Double.isNaN(logp)) return Double.POSITIVE_INFINITY;
        double k = 0;
        for (int i = 0; i < p.length; i++) k += invMetric[i] * p[i] * p[i];
        double h = -logp + 0.5 * k;
        return Double.isNaN(h) ? Double.POSITIVE_INFINITY : h;
    }

    /** p ~ N(0, M) with M = diag(1 / invMetric). */
    void sampleMomentum(sivi.kernels.Rng rng, double[] invMetric) {
        for (int i = 0; i < p.length; i++) p[i] = rng.nextGaussian() / Math.sqrt(invMetric[i]);
    }

    /** p# = M^-1 p, the velocity dq/dt used by the U-turn criterion. */
    void velocity(double[] invMetric, double[] out) {
        for (int i = 0; i < p.length; i++) out[i] = invMetric[i] * p[i];
    }

    /** One leapfrog step of size eps (negative to go backward): half kick, drift, half kick. */
    void leapfrog(LogDensityGradient target, double eps, double[] invMetric) {
        for (int i = 0; i < p.length; i++) p[i] += 0.5 * eps * grad[i];
        for (int i = 0; i < q.length; i++) q[i] += eps * invMetric[i] * p[i];
        logp = target.evaluate(q, grad);
        for (int i = 0; i < p.length; i++) p[i] += 0.5 * eps * grad[i];
    }
}
