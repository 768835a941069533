package sivi.kernels;

/** Elementwise binary functions with NumPy broadcasting. Comparisons give 1/0 in the input dtype. */
public enum Binary {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, LT, LE, GT, GE, EQ;

    /** The definition, evaluated in double: every backend must agree with this. */
    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case EQ -> a == b ? 1 : 0;
        };
    }
}
