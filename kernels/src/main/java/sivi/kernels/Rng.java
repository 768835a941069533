package sivi.kernels;

import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * A seedable, splittable random number generator (SplitMix64; Steele, Lea &amp; Flood 2014) whose
 * whole state is two longs, so a run can be checkpointed and resumed bit for bit. There is no
 * global RNG: every function that draws takes an {@code Rng}.
 *
 * <p>Gaussians use the Box–Muller transform on pairs ({@link BoxMuller}); {@link #normal} computes
 * the same draws L pairs at a time ({@link GaussianDraws}), independent of any backend.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long seed;
    private final long gamma;
    /** Scratch for {@link #nextGaussian} (not state: every draw overwrites it). */
    private final double[] pair = new double[2];

    public Rng(long seed) { this(mix64(seed), GOLDEN_GAMMA); }

    private Rng(long seed, long gamma) { this.seed = seed; this.gamma = gamma; }

    /** The generator for one named stream of a run: the same (seed, stream) always gives the same draws. */
    public static Rng of(long seed, long stream) { return new Rng(mix64(seed) ^ mix64(stream * GOLDEN_GAMMA + 0x632be59bd9b4e019L)); }

    /** State as (seed, gamma), for checkpoints. */
    public long[] state() { return new long[] {seed, gamma}; }

    public static Rng fromState(long[] state) { return new Rng(state[0], state[1]); }

    /** An independent generator; this one advances. */
    public Rng split() { return new Rng(mix64(nextSeed()), mixGamma(nextSeed())); }

    private long nextSeed() { return seed += gamma; }

    /** Advances as n draws of {@link #nextLong} would (the state moves by γ per draw): for fills that compute draws out of order. */
    public void skip(long n) { seed += n * gamma; }

    public long nextLong() { return mix64(nextSeed()); }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        long r = (nextLong() >>> 33) * bound;
        return (int) (r >>> 31);
    }

    /** One standard normal draw (Box–Muller, the second value of the pair discarded). */
    public double nextGaussian() {
        gaussianPair(pair, 0);
        return pair[0];
    }

    /** Fills out[from..to) with standard normals, two per Box–Muller pair. */
    public void fillGaussian(double[] out, int from, int to) {
        int i = from;
        for (; i + 1 < to; i += 2) gaussianPair(out, i);
        if (i < to) out[i] = nextGaussian();
    }

    /** out[at], out[at + 1] = √(−2 ln u₁)·(cos 2πu₂, sin 2πu₂) with u₁ = 1 − U ∈ (0, 1], u₂ = U' ∈ [0, 1). */
    private void gaussianPair(double[] out, int at) {
        double u1 = 1.0 - nextDouble(), u2 = nextDouble();
        BoxMuller.polar(Math.sqrt(-2 * BoxMuller.lnUnit(u1)), u2, out, at);
    }

    /** A tensor of i.i.d. N(0, 1) draws. F32 draws are the F64 draws rounded, so dtypes see the same numbers. */
    public Tensor normal(DType dtype, int... shape) {
        int n = sivi.tensor.Shapes.size(shape);
        double[] v = new double[n];
        if (VectorApi.PRESENT) GaussianDraws.fill(this, v, 0, n);   // the same draws as fillGaussian, a vector of pairs at a time
        else fillGaussian(v, 0, n);
        return Tensor.of(dtype, v, shape);
    }

    /** A tensor of i.i.d. Uniform[0, 1) draws. */
    public Tensor uniform(DType dtype, int... shape) {
        int n = sivi.tensor.Shapes.size(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = nextDouble();
        return Tensor.of(dtype, v, shape);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        int n = Long.bitCount(z ^ (z >>> 1));
        return (n < 24) ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }
}
