// Pairwise kernels: squared and L1 distances, the distance contractions of their backward, and the
// radial kernel (RBF/IMQ/Laplace) with its derivatives. One work item per output element.

kernel void sq_dist(global const real* x, global const real* y, global real* out, int n, int m, int d) {
    int g = get_global_id(0), gc = clampi(g, n * m), i = gc / m, j = gc % m;
    real s = 0;
    for (int k = 0; k < d; k++) { real t = x[i * d + k] - y[j * d + k]; s += t * t; }
    out[g] = s;
}

// gx[i,k] = Σ_j w[i,j] (x[i,k] − y[j,k])
kernel void dist_contract_x(global const real* w, global const real* x, global const real* y, global real* gx, int n, int m, int d) {
    int g = get_global_id(0), gc = clampi(g, n * d), i = gc / d, k = gc % d;
    real acc = 0;
    for (int j = 0; j < m; j++) acc += w[i * m + j] * (x[i * d + k] - y[j * d + k]);
    gx[g] = acc;
}

// gy[j,k] = Σ_i w[i,j] (y[j,k] − x[i,k])
kernel void dist_contract_y(global const real* w, global const real* x, global const real* y, global real* gy, int n, int m, int d) {
    int g = get_global_id(0), gc = clampi(g, m * d), j = gc / d, k = gc % d;
    real acc = 0;
    for (int i = 0; i < n; i++) acc += w[i * m + j] * (y[j * d + k] - x[i * d + k]);
    gy[g] = acc;
}

// D[i,j] = Σ_k |x[i,k] − y[j,k]|
kernel void l1_dist(global const real* x, global const real* y, global real* out, int n, int m, int d) {
    int g = get_global_id(0), gc = clampi(g, n * m), i = gc / m, j = gc % m;
    real s = 0;
    for (int k = 0; k < d; k++) s += fabs(x[i * d + k] - y[j * d + k]);
    out[g] = s;
}

// Math.signum: ±1, the zero itself at a tie, NaN for NaN (the built-in sign() maps NaN to 0)
inline real signum_(real t) { return t > 0 ? LIT(1.0) : t < 0 ? LIT(-1.0) : t; }

// gx[i,k] = Σ_j w[i,j] sign(x[i,k] − y[j,k])
kernel void l1_contract_x(global const real* w, global const real* x, global const real* y, global real* gx, int n, int m, int d) {
    int g = get_global_id(0), gc = clampi(g, n * d), i = gc / d, k = gc % d;
    real acc = 0;
    for (int j = 0; j < m; j++) acc += w[i * m + j] * signum_(x[i * d + k] - y[j * d + k]);
    gx[g] = acc;
}

// gy[j,k] = −Σ_i w[i,j] sign(x[i,k] − y[j,k])
kernel void l1_contract_y(global const real* w, global const real* x, global const real* y, global real* gy, int n, int m, int d) {
    int g = get_global_id(0), gc = clampi(g, m * d), j = gc / d, k = gc % d;
    real acc = 0;
    for (int i = 0; i < n; i++) acc -= w[i * m + j] * signum_(x[i * d + k] - y[j * d + k]);
    gy[g] = acc;
}

// RBF: k = exp(−D·c) with c = 1/(2h²); IMQ: k = (1 + D/h)^(−1/2); Laplace (D the L1 distance): k = exp(−D/h).
// Scalars precomputed in double on the host.
inline real radial(int kind, real D, real c, real invh) {
    return kind == K_RBF ? exp(-D * c) : kind == K_LAPLACE ? exp(-D * invh) : rsqrt(LIT(1.0) + D * invh);
}

kernel void kernel_from_sqdist(global const real* D, global real* K, int kind, real c, real invh, int n) {
    int g = get_global_id(0);
    K[g] = radial(kind, D[clampi(g, n)], c, invh);
}

// gD = gK ∂k/∂D and the per-element terms gK ∂k/∂h (summed afterwards by sum_partial).
// RBF: ∂k/∂D = −k c, ∂k/∂h = k D / h³.  IMQ: ∂k/∂D = −k³/(2h), ∂k/∂h = k³ D / (2h²).
// Laplace: ∂k/∂D = −k/h, ∂k/∂h = k D / h².
kernel void kernel_from_sqdist_backward(global const real* D, global const real* K, global const real* gK, global real* gD,
                                        global real* terms, int kind, real c, real invh, real invh2, real invh3, int n) {
    int g = get_global_id(0), i = clampi(g, n);
    real d = D[i], k = K[i], gk = gK[i];
    real k3 = k * k * k;
    gD[g] = kind == K_RBF ? gk * (-k * c) : kind == K_LAPLACE ? gk * (-k * invh) : gk * (LIT(-0.5) * k3 * invh);
    terms[g] = kind == K_RBF ? gk * (k * d * invh3) : kind == K_LAPLACE ? gk * (k * d * invh2) : gk * (LIT(0.5) * k3 * d * invh2);
}
