package sivi.fit;

/** A NaN or ±∞ appeared in the objective or a gradient; the message names the iteration and quantity. */
public final class NonFiniteException extends RuntimeException {
    private final int iteration;
    private final String quantity;
    private final String detail;

    public NonFiniteException(int iteration, String quantity, String detail) {
        super("non-finite " + quantity + " at iteration " + iteration + (detail == null ? "" : ": " + detail));
        this.iteration = iteration; this.quantity = quantity; this.detail = detail == null ? "" : detail;
    }

    public int iteration() { return iteration; }
    public String quantity() { return quantity; }
    public String detail() { return detail; }
}
