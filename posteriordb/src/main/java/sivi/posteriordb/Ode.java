package sivi.posteriordb;

import sivi.autodiff.Var;

import static sivi.autodiff.Ops.*;
import static sivi.posteriordb.StanMath.*;

/**
 * The ODE posteriors, solved by fixed-step RK4 through {@link StanMath#integrate} (differentiable
 * through its steps). Stan uses adaptive rk45 (lotka_volterra, rel. tol 1e-5) and BDF
 * (one_comp_mm_elim_abs, tol 1e-6); the step sizes here keep RK4's global error below those
 * tolerances on the posterior's bulk (checked against a 4× finer step in the tests).
 */
final class Ode {
    private Ode() {}

    /** lotka_volterra: predator–prey ODE, lognormal measurement error; theta, z_init, sigma > 0. */
    static final class LotkaVolterra extends StanModel {
        static final double STEP = 0.2;
        private final int n;
        private final double[] ts, yInit;
        private final double[][] rows;

        LotkaVolterra(String posterior) {
            super(posterior);
            StanData d = StanData.load(posterior);
            n = d.integer("N", 0);
            ts = d.vector("ts", n);
            yInit = d.vector("y_init", 2);
            double[][] y = d.matrix("y", n, 2);
            rows = y;
            for (int i = 0; i < n; i++) {
                if (!(y[i][0] >= 0 && y[i][1] >= 0)) throw new IllegalArgumentException("posteriordb " + posterior + ": data 'y' row " + (i + 1) + " is below its declared lower bound 0");
            }
            vector("theta", 4, Constraint.lower(0));
            vector("z_init", 2, Constraint.lower(0));
            vector("sigma", 2, Constraint.lower(0));
        }

        /** The populations (u, v) at each of ts, N-vectors. */
        Var[][] solve(Params p) {
            Var alpha = p.at("theta", 0), beta = p.at("theta", 1), gamma = p.at("theta", 2), delta = p.at("theta", 3);
            Rhs f = (t, z) -> new Var[] {mul(sub(alpha, mul(beta, z[1])), z[0]), mul(sub(mul(delta, z[0]), gamma), z[1])};
            return integrate(f, new Var[] {p.at("z_init", 0), p.at("z_init", 1)}, 0, ts, STEP);
        }

        @Override protected Var model(Params p) {
            Var theta = p.get("theta"), zInit = p.get("z_init"), sigma = p.get("sigma");
            Var[][] z = solve(p);
            Var lp = add(add(normalLpdf(p.at("theta", 0), 1, 0.5), normalLpdf(p.at("theta", 2), 1, 0.5)),
                    add(normalLpdf(p.at("theta", 1), 0.05, 0.05), normalLpdf(p.at("theta", 3), 0.05, 0.05)));
            Var ls = log(sigma);
            lp = add(lp, sum(sub(normalLpdf(ls, -1, 1), ls), 1, false));
            Var lz = log(zInit);
            lp = add(lp, sum(sub(normalLpdf(lz, Math.log(10), 1), lz), 1, false));
            lp = add(lp, sum(lognormalLpdf(data(theta, yInit, 1, 2), lz, sigma), 1, false));
            Var s1 = p.at("sigma", 0), s2 = p.at("sigma", 1);
            for (int i = 0; i < n; i++)
                lp = add(lp, add(lognormalLpdf(num(s1, rows[i][0]), log(z[i][0]), s1), lognormalLpdf(num(s2, rows[i][1]), log(z[i][1]), s2)));
            return lp;
        }
    }

    /**
     * one_comp_mm_elim_abs: one compartment, first-order absorption, Michaelis–Menten elimination,
     * dC/dt = exp(−k_a t) D k_a / V − (V_m/V) C/(K_m + C), C(t0) = 0; C_hat ~ lognormal(log C, sigma);
     * cauchy(0, 1) priors. The model's dose is 0 at t = 0 exactly; a solver integrates over (t0, t]
     * where the dose is on, so RK4's stage at t0 uses the limit from the right.
     */
    static final class OneComp extends StanModel {
        static final double STEP = 0.05;
        private final double t0, dose, volume;
        private final double[] times, cHat;

        OneComp(String posterior) {
            super(posterior);
            StanData d = StanData.load(posterior);
            t0 = d.real("t0");
            dose = d.real("D");
            volume = d.real("V");
            int n = d.integer("N_t", 1);
            times = d.vector("times", n);
            cHat = d.vector("C_hat", n, 0);
            if (t0 != 0) throw new IllegalArgumentException("posteriordb " + posterior + ": the model's dose term assumes t0 = 0, data has t0 = " + t0);
            real("k_a", Constraint.lower(0));
            real("K_m", Constraint.lower(0));
            real("V_m", Constraint.lower(0));
            real("sigma", Constraint.lower(0));
        }

        Var[] solve(Params p) {
            Var ka = p.scalar("k_a"), km = p.scalar("K_m"), vm = p.scalar("V_m");
            Var rate = scale(ka, dose / volume), vmv = scale(vm, 1 / volume);
            Rhs f = (t, c) -> new Var[] {sub(mul(exp(scale(ka, -t)), rate), div(mul(vmv, c[0]), add(km, c[0])))};
            Var[][] c = integrate(f, new Var[] {zerosLike(ka)}, t0, times, STEP);
            Var[] out = new Var[c.length];
            for (int i = 0; i < c.length; i++) out[i] = c[i][0];
            return out;
        }

        @Override protected Var model(Params p) {
            Var[] c = solve(p);
            Var sigma = p.scalar("sigma");
            Var lp = null;
            for (int i = 0; i < times.length; i++) {
                Var li = lognormalLpdf(num(sigma, cHat[i]), log(c[i]), sigma);
                lp = lp == null ? li : add(lp, li);
            }
            for (String s : new String[] {"k_a", "K_m", "V_m", "sigma"}) lp = add(lp, cauchyLpdf(p.scalar(s), 0, 1));
            return lp;
        }
    }
}
