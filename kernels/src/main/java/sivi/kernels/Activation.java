package sivi.kernels;

/** Activation of the fused conditional layer y = act(x W + b). */
public enum Activation {
    IDENTITY, RELU, TANH, SILU, SOFTPLUS, SIGMOID;

    public double apply(double p) {
        return switch (this) {
            case IDENTITY -> p;
            case RELU -> Unary.RELU.apply(p);
            case TANH -> Math.tanh(p);
            case SILU -> Unary.SILU.apply(p);
            case SOFTPLUS -> Unary.SOFTPLUS.apply(p);
            case SIGMOID -> Unary.SIGMOID.apply(p);
        };
    }

    /** d act / d pre, given the pre-activation p and the output y = act(p). */
    public double derivative(double p, double y) {
        return switch (this) {
            case IDENTITY -> 1.0;
            case RELU -> p > 0 ? 1.0 : 0.0;     // NOTE: relu'(0) := 0, matching PyTorch
            case TANH -> 1.0 - y * y;
            case SILU -> { double s = Unary.SIGMOID.apply(p); yield s * (1.0 + p * (1.0 - s)); }
            case SOFTPLUS -> Unary.SIGMOID.apply(p);
            case SIGMOID -> y * (1.0 - y);
        };
    }

    public static Activation parse(String s) {
        for (Activation a : values()) if (a.name().equalsIgnoreCase(s)) return a;
        throw new IllegalArgumentException("unknown activation '" + s + "' (accepted: identity, relu, tanh, silu, softplus, sigmoid)");
    }
}
