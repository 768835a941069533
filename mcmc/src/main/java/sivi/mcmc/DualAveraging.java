package sivi.mcmc;

/**
 * Nesterov dual averaging of log step size (Hoffman &amp; Gelman 2014, JMLR 15, Algorithm 5, eq. 6), as
 * Stan runs it: with H_t = delta - alpha_t (target minus observed acceptance statistic),
 * <pre>
 *   sbar_t = (1 - 1/(t + t0)) sbar_{t-1} + H_t / (t + t0)
 *   log eps_t = mu - sqrt(t) / gamma * sbar_t
 *   log epsbar_t = t^-kappa log eps_t + (1 - t^-kappa) log epsbar_{t-1}
 * </pre>
 * with mu = log(10 eps_0), gamma = 0.05, t0 = 10, kappa = 0.75. After warm-up, epsbar is used.
 */
final class DualAveraging {
    static final double GAMMA = 0.05, T0 = 10, KAPPA = 0.75;
    private final double delta;
    private double mu, sBar, xBar;
    private int t;

    DualAveraging(double targetAccept) { this.delta = targetAccept; }

    /** Starts a new adaptation phase around the current step size eps0 (mu = log(10 eps0)). */
    void restart(double eps0) { mu = Math.log(10 * eps0); sBar = 0; xBar = 0; t = 0; }

    /** Feeds one acceptance statistic; returns the next step size exp(x_t). */
    double update(double acceptStat) {
        if (Double.isNaN(acceptStat)) acceptStat = 0;
        acceptStat = Math.min(1, acceptStat);
        t++;
        double eta = 1.0 / (t + T0);
        sBar = (1 - eta) * sBar + eta * (delta - acceptStat);
        double x = mu - sBar * Math.sqrt(t) / GAMMA;
        double w = Math.pow(t, -KAPPA);
        xBar = (1 - w) * xBar + w * x;
        return Math.exp(x);
    }

    /** The averaged step size exp(xbar), the value kept after warm-up. */
    double finalStepSize() { return Math.exp(xBar); }
}
