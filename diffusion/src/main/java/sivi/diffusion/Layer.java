package sivi.diffusion;

import sivi.autodiff.Var;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * The HSIVI conditional layer q_φ(x_s | x_t), batched with one (t, s) pair per row
 * (HSIVI, Yu et al. 2023, the DDIM-like layer of {@code torch_utils/losses.py}; docs/algorithms.md#hsivi-sm):
 * <pre>
 *   ε̂ = ε_φ(x_t, …),  x̂₀ = (x_t − σ_t ε̂)/√ᾱ_t,  mean = √ᾱ_s x̂₀ + c2 ε̂,  std = exp(γ)·c1,
 *   x_s = mean + std ⊙ ξ,   ξ/g = ξ ⊙ σ_s/std = −σ_s ∇_{x_s} log q_φ(x_s | x_t)
 * </pre>
 * with c1 = √(η(1 − ᾱ_t/ᾱ_s)σ_s²/σ_t²), c2 = √(σ_s² − c1²), η = 0.2 by default, γ a learned
 * per-coordinate log-scale (1×d) shared by all layers. Coefficients are per-row constants (N×1).
 */
public record Layer(Tensor a, Tensor b, Tensor c1, Tensor sigmaS, double[] t, double[] s) {

    /** Per-row coefficients for x_s = a·x_t + b·ε̂ + exp(γ)·c1·ξ (a = √ᾱ_s/√ᾱ_t, b = c2 − √ᾱ_s σ_t/√ᾱ_t). */
    public static Layer of(NoiseSchedule sch, double[] t, double[] s, double eta, DType dt) {
        int n = t.length;
        double[] a = new double[n], b = new double[n], c1 = new double[n], sg = new double[n];
        for (int i = 0; i < n; i++) {
            DdimStep st = DdimStep.hsivi(sch, t[i], s[i], eta);
            a[i] = st.sqrtAbarS() / st.sqrtAbarT();
            b[i] = st.c2() - st.sqrtAbarS() * st.sigmaT() / st.sqrtAbarT();
            c1[i] = st.c1();
            sg[i] = st.sigmaS();
        }
        return new Layer(Tensor.of(dt, a, n, 1), Tensor.of(dt, b, n, 1), Tensor.of(dt, c1, n, 1), Tensor.of(dt, sg, n, 1), t.clone(), s.clone());
    }

    /** The mean a·x_t + b·ε̂. */
    public Var mean(Var xT, Var epsHat) { return add(mul(constant(a), xT), mul(constant(b), epsHat)); }

    /** std = exp(γ)·c1 (N×d). */
    public Var std(Var logGamma) { return mul(exp(logGamma), constant(c1)); }

    /** {x_s, ξ/g} for a given standard normal ξ (N×d). */
    public Var[] sample(Var xT, Var epsHat, Var logGamma, Tensor xi) {
        Var std = std(logGamma);
        Var xs = add(mean(xT, epsHat), mul(std, constant(xi)));
        Var xiOverG = div(mul(constant(xi), constant(sigmaS)), std);
        return new Var[] {xs, xiOverG};
    }

    /** σ_s² per row (N×1): the HSIVI layer weight w(s). */
    public Tensor weight() {
        double[] v = sigmaS.toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] *= v[i];
        return Tensor.of(sigmaS.dtype(), v, v.length, 1);
    }
}
