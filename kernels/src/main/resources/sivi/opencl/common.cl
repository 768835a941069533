// Shared definitions. Built with -D REAL=float|double (plus -D USE_FP64 for double), -D WG (1-D
// work-group size, a power of two), -D TILE (GEMM tile edge), and the op codes of the Java enums
// (-D U_EXP=1 ...), so kernels and Java can never disagree on a code.
//
// Padding convention (no early-return bounds guards): every launch is padded up to a multiple of
// the work-group size. Work items past the end read the last valid element (clampi) and write
// into the padding of their output buffer, which is allocated at the padded length and never read
// back. Loops run over exact, uniform lengths.
#ifdef USE_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define LIT(x) x
#else
#define LIT(x) x##f
#endif
typedef REAL real;

inline int clampi(int i, int n) { return min(i, n - 1); }

// Java's Math.max/min propagate NaN; OpenCL fmax/fmin return the other operand.
inline real max_nan(real a, real b) { return (isnan(a) || isnan(b)) ? a + b : fmax(a, b); }
inline real min_nan(real a, real b) { return (isnan(a) || isnan(b)) ? a + b : fmin(a, b); }

// Same split as Unary.SIGMOID: no overflow of exp for either sign.
inline real sigmoid_(real x) { return x >= 0 ? LIT(1.0) / (LIT(1.0) + exp(-x)) : exp(x) / (LIT(1.0) + exp(x)); }

inline real softplus_(real x) { return max_nan(x, LIT(0.0)) + log1p(exp(-fabs(x))); }

// Activation.apply
inline real activate(int act, real p) {
    switch (act) {
        case A_IDENTITY: return p;
        case A_RELU: return p > 0 ? p : LIT(0.0);
        case A_TANH: return tanh(p);
        case A_SILU: return p * sigmoid_(p);
        case A_SOFTPLUS: return softplus_(p);
        default: return sigmoid_(p); // A_SIGMOID
    }
}

// Activation.derivative given pre-activation p and output y
inline real activate_grad(int act, real p, real y) {
    switch (act) {
        case A_IDENTITY: return LIT(1.0);
        case A_RELU: return p > 0 ? LIT(1.0) : LIT(0.0); // relu'(0) := 0, as the reference
        case A_TANH: return LIT(1.0) - y * y;
        case A_SILU: { real s = sigmoid_(p); return s * (LIT(1.0) + p * (LIT(1.0) - s)); }
        case A_SOFTPLUS: return sigmoid_(p);
        default: return y * (LIT(1.0) - y); // A_SIGMOID
    }
}

// Offset of flat row-major index i (over dims) in an operand with the given element strides
// (0 on broadcast axes).
inline int strided_offset(int i, int rank, global const int* dims, global const int* strides) {
    int off = 0;
    for (int a = rank - 1; a >= 0; a--) {
        int d = dims[a];
        off += (i % d) * strides[a];
        i /= d;
    }
    return off;
}
