// Log-sum-exp mixture density out[n] = log (1/K) Σ_k N(x_n | μ_k, diag σ_k²), σ = exp(logSigma),
// and its gradient. Mirrors ScalarBackend.lseMixture: two passes over k (max, then shifted sum).
#define LOG_2PI LIT(1.8378770664093453)

// ℓ[i,k] = log N(x_i | μ_k, diag σ_k²); ls row k, or row 0 when shared
inline real comp_logpdf(global const real* x, global const real* mu, global const real* ls, int i, int k, int d, int shared) {
    int so = shared ? 0 : k * d;
    real s = 0;
    for (int j = 0; j < d; j++) {
        real l = ls[so + j];
        real z = (x[i * d + j] - mu[k * d + j]) * exp(-l);
        s += LIT(-0.5) * z * z - l - LIT(0.5) * LOG_2PI;
    }
    return s;
}

kernel void mixture_fwd(global const real* x, global const real* mu, global const real* ls, global real* out,
                        int n, int kk, int d, int shared) {
    int g = get_global_id(0), i = clampi(g, n);
    real m = -INFINITY;
    for (int k = 0; k < kk; k++) m = max_nan(m, comp_logpdf(x, mu, ls, i, k, d, shared));
    real s = 0;
    for (int k = 0; k < kk; k++) s += exp(comp_logpdf(x, mu, ls, i, k, d, shared) - m);
    out[g] = m + log(s) - log((real) kk);
}

// W[i,k] = gOut_i · r_ik (responsibilities scaled by the upstream gradient); W has pitch kk and padded rows.
kernel void mixture_resp(global const real* x, global const real* mu, global const real* ls, global const real* gout,
                         global real* W, int n, int kk, int d, int shared) {
    int g = get_global_id(0), i = clampi(g, n);
    real m = -INFINITY;
    for (int k = 0; k < kk; k++) m = max_nan(m, comp_logpdf(x, mu, ls, i, k, d, shared));
    real s = 0;
    for (int k = 0; k < kk; k++) s += exp(comp_logpdf(x, mu, ls, i, k, d, shared) - m);
    for (int k = 0; k < kk; k++) W[g * kk + k] = gout[i] * exp(comp_logpdf(x, mu, ls, i, k, d, shared) - m) / s;
}

// gx[i,j] = −Σ_k W[i,k] (x_ij − μ_kj) / σ_kj²
kernel void mixture_gx(global const real* x, global const real* mu, global const real* ls, global const real* W,
                       global real* gx, int n, int kk, int d, int shared) {
    int g = get_global_id(0), gc = clampi(g, n * d), i = gc / d, j = gc % d;
    real acc = 0;
    for (int k = 0; k < kk; k++) {
        int so = shared ? 0 : k * d;
        real inv = exp(LIT(-2.0) * ls[so + j]);
        real diff = x[i * d + j] - mu[k * d + j];
        acc -= W[i * kk + k] * diff * inv;
    }
    gx[g] = acc;
}

// gmu[k,j] = Σ_i W[i,k] (x_ij − μ_kj) / σ_kj²;  gls[k,j] = Σ_i W[i,k] ((x_ij − μ_kj)²/σ_kj² − 1)
// (per component; for a shared logSigma the host sums gls over k with reduce_axis on the device).
kernel void mixture_gmu_gls(global const real* x, global const real* mu, global const real* ls, global const real* W,
                            global real* gmu, global real* gls, int n, int kk, int d, int shared) {
    int g = get_global_id(0), gc = clampi(g, kk * d), k = gc / d, j = gc % d;
    int so = shared ? 0 : k * d;
    real inv = exp(LIT(-2.0) * ls[so + j]);
    real am = 0, as = 0;
    for (int i = 0; i < n; i++) {
        real w = W[i * kk + k];
        real diff = x[i * d + j] - mu[k * d + j];
        am += w * diff * inv;
        as += w * (diff * diff * inv - LIT(1.0));
    }
    gmu[g] = am;
    gls[g] = as;
}
