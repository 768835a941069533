package sivi.kernels.simd;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Static row partitioning over a small fixed pool. The chunk boundaries depend only on the work
 * size and the thread count, and every reduction over chunks adds the partials in chunk order, so
 * results are bit-identical run to run for a fixed thread count.
 */
final class Par {
    /** Body of one chunk: rows [lo, hi), chunk index c (for per-chunk partial results). */
    interface Body { void run(int c, int lo, int hi); }

    private final int threads;
    private final ForkJoinPool pool;

    Par(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
    }

    int threads() { return threads; }

    /** How many chunks {@link #run} will use for n rows of which each chunk needs at least minRows. */
    int chunks(int n, int minRows) {
        if (pool == null || n <= 0) return 1;
        return Math.max(1, Math.min(threads, n / Math.max(1, minRows)));
    }

    /** Runs body over [0, n) split into {@link #chunks} contiguous ranges; chunk 0 runs on the caller. */
    void run(int n, int minRows, Body body) {
        int c = chunks(n, minRows);
        if (c == 1) { body.run(0, 0, n); return; }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[c];
        for (int t = 1; t < c; t++) {
            int ct = t, lo = (int) ((long) n * t / c), hi = (int) ((long) n * (t + 1) / c);
            tasks[t] = pool.submit(() -> body.run(ct, lo, hi));
        }
        body.run(0, 0, (int) ((long) n / c));
        for (int t = 1; t < c; t++) tasks[t].join();
    }

    void close() { if (pool != null) pool.shutdownNow(); }
}
