package sivi.kernels.simd;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Static row partitioning over a few persistent worker threads. The chunk boundaries depend only on
 * the work size and the thread count, and every reduction over chunks adds the partials in chunk
 * order, so results are bit-identical run to run for a fixed thread count — also when a call falls
 * back to running its chunks one after another on the caller (nested or concurrent calls).
 *
 * <p>Why not a ForkJoinPool: a training step issues thousands of ops of 10–100 µs each, and waking a
 * parked pool worker costs about as much as the op, so two threads were slower than one. Here the
 * workers spin for a while after each job (as OpenMP runtimes do) and a job is handed over through
 * one volatile field; they park only after {@link #SPIN_NANOS} without work.
 */
final class Par {
    /** Body of one chunk: rows [lo, hi), chunk index c (for per-chunk partial results). */
    interface Body { void run(int c, int lo, int hi); }

    /** How long an idle worker spins before it parks (system property {@code sivi.par.spinMicros}). */
    static final long SPIN_NANOS = 1000L * Long.getLong("sivi.par.spinMicros", 2000L);

    /**
     * One dispatched call; workers read it as a single snapshot, so a late reader never mixes two
     * jobs. Chunks are claimed from a counter by whichever thread comes first, so a worker that the
     * OS has descheduled costs nothing: the caller runs its chunk too.
     */
    private static final class Job {
        final Body body; final int n, chunks;
        final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        volatile Throwable failure;
        Job(Body body, int n, int chunks) { this.body = body; this.n = n; this.chunks = chunks; }
        void runChunk(int c) { body.run(c, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)); }
        /** Claims and runs chunks until none is left; a failure is kept for the caller. */
        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try { runChunk(c); } catch (Throwable e) { failure = e; }
                done.incrementAndGet();
            }
        }
    }

    private final int threads;
    private final Thread[] workers;
    private final AtomicBoolean inUse = new AtomicBoolean();
    private volatile Job current;
    private volatile boolean closed;
    /** parked[t] is true while worker t is (about to be) parked; the dispatcher unparks it. */
    private final AtomicInteger[] parked;

    Par(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        this.parked = new AtomicInteger[threads];
        for (int t = 1; t < threads; t++) {
            parked[t] = new AtomicInteger();
            int id = t;
            Thread w = new Thread(() -> workLoop(id), "sivi-simd-" + t);
            w.setDaemon(true);
            workers[t - 1] = w;
            w.start();
        }
    }

    int threads() { return threads; }

    /** How many chunks {@link #run} will use for n rows of which each chunk needs at least minRows. */
    int chunks(int n, int minRows) {
        if (threads == 1 || n <= 0) return 1;
        return Math.max(1, Math.min(threads, n / Math.max(1, minRows)));
    }

    /**
     * Runs body over [0, n) split into {@link #chunks} contiguous ranges, on the caller and the workers. Returns how
     * many threads were offered the chunks: their number when the workers were dispatched, else 1 (one chunk, or run
     * in place) — what {@link sivi.kernels.GemmMeter} weighs a product's wall time by.
     */
    int run(int n, int minRows, Body body) {
        int c = chunks(n, minRows);
        if (c == 1) { body.run(0, 0, n); return 1; }
        Job job = new Job(body, n, c);
        if (closed || inUse.get() || !inUse.compareAndSet(false, true)) {
            // nested in a chunk, or another thread is using the workers: same chunks, in order, here
            for (int t = 0; t < c; t++) job.runChunk(t);
            return 1;
        }
        try {
            current = job;
            for (int t = 1; t < c; t++) if (parked[t].get() != 0) LockSupport.unpark(workers[t - 1]);
            job.work();
            // The workers write into the caller's arrays: wait for them even when a chunk failed.
            for (int spins = 0; job.done.get() != c; spins++) {
                if ((spins & 1023) == 1023) Thread.yield(); else Thread.onSpinWait();
            }
            Throwable f = job.failure;
            if (f instanceof RuntimeException r) throw r;
            if (f instanceof Error e) throw e;
            if (f != null) throw new IllegalStateException(f);
            return c;
        } finally {
            inUse.set(false);
        }
    }

    private void workLoop(int id) {
        Job seen = null;
        while (true) {
            Job j = current;
            long idleSince = 0;
            for (int spins = 0; j == seen; spins++) {
                if (closed) return;
                if ((spins & 63) == 63) {
                    long now = System.nanoTime();
                    if (idleSince == 0) idleSince = now;
                    else if (now - idleSince > SPIN_NANOS) {
                        parked[id].set(1);
                        // re-check after announcing: a dispatcher that posted before seeing the flag
                        // is seen here, one that posts after it sees the flag and unparks us
                        if (current == seen && !closed) LockSupport.park(this);
                        parked[id].set(0);
                        idleSince = 0;
                    }
                } else {
                    Thread.onSpinWait();
                }
                j = current;
            }
            seen = j;
            j.work();
        }
    }

    void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
