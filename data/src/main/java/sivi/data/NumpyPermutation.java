package sivi.data;

/**
 * The permutation numpy's legacy {@code RandomState(seed).permutation(n)} returns, which is what
 * scikit-learn's {@code train_test_split(..., random_state=seed)} uses: the test rows are its first
 * ⌈test_size·n⌉ entries and the training rows the rest, in that order. The BNN experiments of the
 * SIVI-SM and KSIVI papers split with {@code random_state=42}, so this gives the papers' exact rows.
 *
 * <p>The generator is MT19937 (Matsumoto &amp; Nishimura 1998) seeded by its standard {@code init_genrand}
 * recurrence; the shuffle goes i = n−1 … 1, swapping a[i] with a[j], j uniform on 0..i drawn by
 * masked rejection: the 32-bit output AND the smallest all-ones mask ≥ i, redrawn while it exceeds i.
 * Checked against numpy 1.24 in {@code NumpyPermutationTest}.
 */
public final class NumpyPermutation {
    private static final int N = 624, M = 397;
    private final int[] mt = new int[N];
    private int pos;

    private NumpyPermutation(long seed) {
        if (seed < 0 || seed > 0xffffffffL) throw new IllegalArgumentException("numpy seeds are 0 .. 2^32-1, got " + seed);
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        pos = N;
    }

    /** numpy.random.RandomState(seed).permutation(n). */
    public static int[] of(int n, long seed) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        NumpyPermutation g = new NumpyPermutation(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = g.interval(i);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
        return a;
    }

    /** Uniform on 0..max by masked rejection (numpy's legacy random_interval for max < 2^32). */
    private int interval(int max) {
        int mask = max;
        mask |= mask >>> 1; mask |= mask >>> 2; mask |= mask >>> 4; mask |= mask >>> 8; mask |= mask >>> 16;
        long v;
        do { v = (next32() & 0xffffffffL) & mask; } while (v > max);
        return (int) v;
    }

    /** The next tempered 32-bit output of MT19937. */
    private int next32() {
        if (pos >= N) twist();
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        pos = 0;
    }
}
