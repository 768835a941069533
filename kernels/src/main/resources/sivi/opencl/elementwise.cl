// Elementwise ops. Mirrors Unary.apply / Binary.apply (evaluated in REAL instead of double).

inline real unary_op(int op, real x) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_LOG1P: return log1p(x);
        case U_EXPM1: return expm1(x);
        case U_TANH: return tanh(x);
        case U_SIGMOID: return sigmoid_(x);
        case U_SOFTPLUS: return softplus_(x);
        case U_RELU: return x > 0 ? x : LIT(0.0);
        case U_SILU: return x * sigmoid_(x);
        case U_SQRT: return sqrt(x);
        case U_SQUARE: return x * x;
        case U_ABS: return fabs(x);
        case U_SIGN: return x > 0 ? LIT(1.0) : x < 0 ? LIT(-1.0) : x; // Math.signum keeps ±0 and NaN
        case U_STEP: return x > 0 ? LIT(1.0) : LIT(0.0);
        default: return LIT(1.0) / x; // U_RECIPROCAL
    }
}

inline real binary_op(int op, real a, real b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_POW: return pow(a, b);
        case B_MAX: return max_nan(a, b);
        case B_MIN: return min_nan(a, b);
        case B_LT: return a < b ? LIT(1.0) : LIT(0.0);
        case B_LE: return a <= b ? LIT(1.0) : LIT(0.0);
        case B_GT: return a > b ? LIT(1.0) : LIT(0.0);
        case B_GE: return a >= b ? LIT(1.0) : LIT(0.0);
        default: return a == b ? LIT(1.0) : LIT(0.0); // B_EQ
    }
}

kernel void unary(global const real* x, global real* y, int op, int n) {
    int g = get_global_id(0);
    y[g] = unary_op(op, x[clampi(g, n)]);
}

// meta = {rank, dims[rank], strides of a[rank], strides of b[rank]}
kernel void binary(global const real* a, global const real* b, global real* y, global const int* meta, int op, int n) {
    int g = get_global_id(0), i = clampi(g, n), r = meta[0];
    real av = a[strided_offset(i, r, meta + 1, meta + 1 + r)];
    real bv = b[strided_offset(i, r, meta + 1, meta + 1 + 2 * r)];
    y[g] = binary_op(op, av, bv);
}

// meta = {rank, dims, strides of cond, of a, of b}
kernel void where_(global const real* c, global const real* a, global const real* b, global real* y, global const int* meta, int n) {
    int g = get_global_id(0), i = clampi(g, n), r = meta[0];
    real cv = c[strided_offset(i, r, meta + 1, meta + 1 + r)];
    real av = a[strided_offset(i, r, meta + 1, meta + 1 + 2 * r)];
    real bv = b[strided_offset(i, r, meta + 1, meta + 1 + 3 * r)];
    y[g] = cv != 0 ? av : bv;
}

// fma: one rounding of a·x + b (the F32 reference also rounds once, from double).
kernel void affine(global const real* x, global real* y, real a, real b, int n) {
    int g = get_global_id(0);
    y[g] = fma(a, x[clampi(g, n)], b);
}
