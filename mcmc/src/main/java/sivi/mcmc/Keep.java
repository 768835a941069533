package sivi.mcmc;

/**
 * Which iterations a run keeps, as CmdStan's {@code thin} and {@code save_warmup}: iteration m of a
 * phase (0-based) is kept when m % thin == 0, so a phase of n iterations keeps ⌈n / thin⌉; warm-up
 * iterations are kept (thinned the same way) only when {@code warmup} is set, and never enter the
 * diagnostics.
 *
 * @param thin   keep every thin-th iteration (≥ 1)
 * @param warmup also keep the warm-up iterations ({@link McmcResult#warmup})
 */
public record Keep(int thin, boolean warmup) {
    /** Every post-warm-up draw, no warm-up: what a run keeps by default. */
    public static final Keep DRAWS = new Keep(1, false);

    public Keep {
        if (thin < 1) throw new IllegalArgumentException("thin must be >= 1, got " + thin);
    }

    /** How many of n iterations are kept. */
    public int kept(int n) { return (n + thin - 1) / thin; }
}
