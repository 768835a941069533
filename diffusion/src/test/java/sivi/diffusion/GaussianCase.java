package sivi.diffusion;

import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Data x₀ ~ N(m, s²I): the diffusion marginal is p_t = N(√ᾱ_t m, v_t I), v_t = ᾱ_t s² + σ_t², and the
 * optimal noise prediction is ε*(x, t) = E[ε | x_t = x] = σ_t (x − √ᾱ_t m)/v_t (so x̂₀ = E[x₀ | x_t]).
 */
record GaussianCase(double m, double s2, NoiseSchedule sch) implements EpsModel {
    double mean(double t) { return Math.sqrt(sch.alphaBar(t)) * m; }
    double var(double t) { double ab = sch.alphaBar(t); return ab * s2 + (1 - ab); }

    @Override public Tensor eps(Tensor x, double[] t) {
        int n = x.dim(0), d = x.dim(1);
        double[] v = x.toDoubleArray();
        for (int i = 0; i < n; i++) {
            double sg = sch.sigma(t[i]), mu = mean(t[i]), vt = var(t[i]);
            for (int j = 0; j < d; j++) v[i * d + j] = sg * (v[i * d + j] - mu) / vt;
        }
        return Tensor.of(DType.F64, v, n, d);
    }
}
