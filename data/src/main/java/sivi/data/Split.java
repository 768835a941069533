package sivi.data;

import java.util.Arrays;
import sivi.kernels.Rng;

/**
 * A seeded random train/test split of row indices. The permutation is the Fisher–Yates (Durstenfeld)
 * shuffle: for i = n-1 down to 1, swap a[i] with a[j], j = rng.nextInt(i + 1); the first
 * {@code nTest} entries of the shuffled 0..n-1 are the test rows and the rest the training rows, each
 * returned in increasing order. The papers split with numpy/sklearn generators, which Java cannot
 * reproduce, so the rows differ from theirs; the split is reproducible for a given {@link Rng} state.
 *
 * @param train training row indices, increasing
 * @param test  test row indices, increasing
 */
public record Split(int[] train, int[] test) {

    public static Split of(int n, int nTest, Rng rng) {
        if (nTest < 0 || nTest > n) throw new IllegalArgumentException("nTest " + nTest + " not in 0.." + n);
        int[] a = permutation(n, rng);
        int[] test = Arrays.copyOfRange(a, 0, nTest), train = Arrays.copyOfRange(a, nTest, n);
        Arrays.sort(test);
        Arrays.sort(train);
        return new Split(train, test);
    }

    /** A uniformly random permutation of 0..n-1 by the Fisher–Yates shuffle described above. */
    public static int[] permutation(int n, Rng rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
        return a;
    }

    /** Split with a fraction of rows (rounded to nearest) in the test set. */
    public static Split fraction(int n, double testFraction, Rng rng) {
        if (!(testFraction >= 0 && testFraction <= 1)) throw new IllegalArgumentException("test fraction " + testFraction);
        return of(n, (int) Math.round(testFraction * n), rng);
    }
}
