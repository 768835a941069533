package sivi.kernels;

/** Elementwise unary functions. Each backend implements all of them; scalar is the oracle. */
public enum Unary {
    NEG, EXP, LOG, LOG1P, EXPM1, TANH, SIGMOID, SOFTPLUS, RELU, SILU, SQRT, SQUARE, ABS, SIGN,
    /** 1 where x > 0 else 0 (relu's derivative; relu'(0) := 0 as in PyTorch). */
    STEP,
    RECIPROCAL;

    /** The mathematical definition, evaluated in double: every backend must agree with this. */
    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            // softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}), stable for large |x|
            case SOFTPLUS -> Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
            case RELU -> x > 0 ? x : 0.0;
            case SILU -> x * (x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x)));
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case STEP -> x > 0 ? 1.0 : 0.0;
            case RECIPROCAL -> 1.0 / x;
        };
    }
}
