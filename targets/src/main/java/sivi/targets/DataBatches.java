package sivi.targets;

import sivi.data.Split;
import sivi.kernels.Rng;

/**
 * Epoch-wise minibatches without replacement: epoch e is a uniform permutation of the n rows (drawn from
 * {@code Rng.of(seed, STREAM - e)}), cut into m = ⌊n/B⌋ consecutive batches of B rows; iteration t uses batch
 * t mod m of epoch ⌊t/m⌋. The n − mB rows past the last whole batch are left out of that epoch (a different set
 * each epoch), so every batch is a uniform B-subset and the n/B-scaled log-likelihood is unbiased at every
 * iteration; when B divides n the mean over an epoch is the full log-likelihood exactly.
 *
 * <p>The rows of an iteration are a function of (seed, t) alone, so a run resumed from a checkpoint at iteration t
 * (which records the seed and t) continues on the same batches bit for bit; nothing else needs saving.
 */
public final class DataBatches {
    /** Streams of {@link Rng#of} far from the Trainer's (0, i + 1 and Long.MAX_VALUE / 2). */
    static final long STREAM = Long.MIN_VALUE / 2;

    private final int n, b;
    private volatile Epoch last;   // the permutation of the most recent epoch, reused by its m iterations

    private record Epoch(long seed, long epoch, int[] perm) {}

    /** Batches of b rows out of n (1 ≤ b &lt; n). */
    public DataBatches(int n, int b) {
        if (b < 1 || b >= n) throw new IllegalArgumentException("a data batch needs 1 ≤ B < n rows, got B = " + b + " of n = " + n);
        this.n = n; this.b = b;
    }

    /** m = ⌊n/B⌋, the batches per epoch. */
    public int perEpoch() { return n / b; }

    /** The B rows (indices into 0..n−1, distinct) of iteration t of a run seeded {@code seed}. */
    public int[] rows(long seed, long iteration) {
        if (iteration < 0) throw new IllegalArgumentException("iteration must be ≥ 0, got " + iteration);
        long m = perEpoch(), epoch = iteration / m;
        Epoch e = last;
        if (e == null || e.seed != seed || e.epoch != epoch) last = e = new Epoch(seed, epoch, Split.permutation(n, Rng.of(seed, STREAM - epoch)));   // Fisher–Yates
        int from = (int) (iteration % m) * b;
        return java.util.Arrays.copyOfRange(e.perm, from, from + b);
    }

}
