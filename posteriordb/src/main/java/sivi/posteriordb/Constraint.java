package sivi.posteriordb;

import sivi.autodiff.Var;

import static sivi.autodiff.Ops.*;

/**
 * Stan's constraining transforms (Stan Reference Manual, "Constraint transforms"): unconstrained
 * u (N×free) → constrained value (N×size) and log|Jacobian| (N), written with autodiff ops so the
 * gradient and the HVP of the log density come from the tape; {@link #inverse} maps one constrained
 * value back (for draws read from files).
 */
public abstract class Constraint {
    /** The value and log-Jacobian of one block (the Jacobian null when it is 0). */
    public record Result(Var value, Var logJacobian) {}

    /** Number of unconstrained coordinates for a block of {@code size} values. */
    int free(int size) { return size; }

    /** A short tag for the unconstrained coordinate names, e.g. "log". */
    abstract String prefix();

    abstract Result apply(Var u, int size);

    /** The unconstrained coordinates of one constrained value; a value outside the constraint is an error. */
    abstract double[] inverse(double[] value);

    static IllegalArgumentException outside(double v, String constraint) {
        return new IllegalArgumentException("value " + v + " is outside " + constraint);
    }

    /** No constraint. */
    public static final Constraint NONE = new Constraint() {
        String prefix() { return ""; }
        Result apply(Var u, int size) { return new Result(u, null); }
        double[] inverse(double[] v) { return v.clone(); }
    };

    /** {@code <lower=lo>}: x = lo + exp(u), log J = u. */
    public static Constraint lower(double lo) {
        return new Constraint() {
            String prefix() { return "log"; }
            Result apply(Var u, int size) { return new Result(lo == 0 ? exp(u) : addScalar(exp(u), lo), sum(u, 1, false)); }
            double[] inverse(double[] v) {
                double[] u = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    if (!(v[i] > lo)) throw outside(v[i], "<lower=" + lo + ">");
                    u[i] = Math.log(v[i] - lo);
                }
                return u;
            }
        };
    }

    /** {@code <lower=lo, upper=hi>}: x = lo + (hi − lo)·logistic(u), log J = log(hi − lo) − softplus(u) − softplus(−u). */
    public static Constraint bounded(double lo, double hi) {
        if (!(hi > lo)) throw new IllegalArgumentException("bounds need lower < upper, got " + lo + ", " + hi);
        return new Constraint() {
            String prefix() { return "logit"; }
            Result apply(Var u, int size) {
                Var jac = addScalar(neg(add(softplus(u), softplus(neg(u)))), Math.log(hi - lo));
                return new Result(affine(sigmoid(u), hi - lo, lo), sum(jac, 1, false));
            }
            double[] inverse(double[] v) {
                double[] u = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    if (!(v[i] > lo && v[i] < hi)) throw outside(v[i], "<lower=" + lo + ", upper=" + hi + ">");
                    double z = (v[i] - lo) / (hi - lo);
                    u[i] = Math.log(z / (1 - z));
                }
                return u;
            }
        };
    }

    /** {@code ordered[K]}: x_1 = u_1, x_k = x_{k−1} + exp(u_k); log J = Σ_{k≥2} u_k. */
    public static final Constraint ORDERED = ordered(false);

    /** {@code positive_ordered[K]}: x_1 = exp(u_1), x_k = x_{k−1} + exp(u_k); log J = Σ_k u_k. */
    public static final Constraint POSITIVE_ORDERED = ordered(true);

    private static Constraint ordered(boolean positive) {
        return new Constraint() {
            String prefix() { return positive ? "positive_ordered" : "ordered"; }
            Result apply(Var u, int size) {
                Var[] x = new Var[size];
                Var first = slice(u, 1, 0, 1);
                x[0] = positive ? exp(first) : first;
                for (int k = 1; k < size; k++) x[k] = add(x[k - 1], exp(slice(u, 1, k, k + 1)));
                Var jac = positive ? u : slice(u, 1, 1, size);
                return new Result(concat(1, x), size == 1 && !positive ? null : sum(jac, 1, false));
            }
            double[] inverse(double[] v) {
                double[] u = new double[v.length];
                if (positive && !(v[0] > 0)) throw outside(v[0], "positive_ordered");
                u[0] = positive ? Math.log(v[0]) : v[0];
                for (int k = 1; k < v.length; k++) {
                    if (!(v[k] > v[k - 1])) throw outside(v[k], "ordered (after " + v[k - 1] + ")");
                    u[k] = Math.log(v[k] - v[k - 1]);
                }
                return u;
            }
        };
    }

    /**
     * {@code simplex[K]} by stick breaking (Stan Reference Manual): z_k = logistic(u_k − log(K − k)),
     * x_k = (1 − Σ_{j&lt;k} x_j)·z_k for k &lt; K, x_K the rest; log J = Σ_k [log z_k + log(1 − z_k) + log(1 − Σ_{j&lt;k} x_j)].
     */
    public static final Constraint SIMPLEX = new Constraint() {
        int free(int size) { return size - 1; }
        String prefix() { return "stick"; }
        Result apply(Var u, int size) {
            Var[] x = new Var[size];
            Var stick = null, jac = null;   // stick == null: the whole stick, 1
            for (int k = 0; k < size - 1; k++) {
                Var a = addScalar(slice(u, 1, k, k + 1), -Math.log(size - 1 - k));
                // log z = −softplus(−a), log(1 − z) = −softplus(a)
                Var j = neg(add(softplus(a), softplus(neg(a))));
                Var z = sigmoid(a);
                x[k] = stick == null ? z : mul(stick, z);
                if (stick != null) j = add(j, log(stick));
                jac = jac == null ? j : add(jac, j);
                stick = stick == null ? sub(onesLike(z), z) : sub(stick, x[k]);
            }
            x[size - 1] = stick;
            return new Result(concat(1, x), reshape(jac, -1));
        }
        double[] inverse(double[] v) {
            int size = v.length;
            double total = 0;
            for (double x : v) {
                if (!(x > 0 && x < 1)) throw outside(x, "simplex");
                total += x;
            }
            // the files print ~15 digits; 1e-6 also admits draws written in single precision
            if (Math.abs(total - 1) > 1e-6) throw new IllegalArgumentException("values sum to " + total + ", not 1, for a simplex");
            double[] u = new double[size - 1];
            double stick = 1;
            for (int k = 0; k < size - 1; k++) {
                double z = v[k] / stick;
                u[k] = Math.log(z / (1 - z)) + Math.log(size - 1 - k);
                stick -= v[k];
            }
            return u;
        }
    };

}
