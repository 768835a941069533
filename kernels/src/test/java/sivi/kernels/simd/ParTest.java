package sivi.kernels.simd;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worker hand-off of {@link Par}: every chunk runs exactly once with the documented bounds,
 * failures reach the caller, and nested, concurrent and post-close calls fall back to running the
 * same chunks on the caller.
 */
class ParTest {

    /** Runs one call and checks each chunk ran once with bounds n·c/chunks .. n·(c+1)/chunks. */
    private static void checkOneCall(Par par, int n, int minRows) {
        int chunks = par.chunks(n, minRows);
        int[] lo = new int[chunks], hi = new int[chunks];
        AtomicInteger[] runs = new AtomicInteger[chunks];
        for (int c = 0; c < chunks; c++) runs[c] = new AtomicInteger();
        int[] cover = new int[n];
        par.run(n, minRows, (c, l, h) -> {
            runs[c].incrementAndGet();
            lo[c] = l; hi[c] = h;
            for (int i = l; i < h; i++) cover[i]++;
        });
        for (int c = 0; c < chunks; c++) {
            assertEquals(1, runs[c].get(), "chunk " + c + " of " + chunks + " (n=" + n + ") runs");
            assertEquals((int) ((long) n * c / chunks), lo[c], "chunk " + c + " start");
            assertEquals((int) ((long) n * (c + 1) / chunks), hi[c], "chunk " + c + " end");
        }
        for (int i = 0; i < n; i++) assertEquals(1, cover[i], "row " + i + " covered");
    }

    @ParameterizedTest @ValueSource(ints = {1, 2, 3, 4})
    void everyChunkRunsOnceOverManyCalls(int threads) {
        Par par = new Par(threads);
        try {
            // many back-to-back calls: a worker that misses a hand-off or takes one twice shows here
            for (int call = 0; call < 20_000; call++) checkOneCall(par, 1 + call % 37, 1);
            checkOneCall(par, 0, 1);
            checkOneCall(par, 10, 100);   // one chunk: runs on the caller
        } finally { par.close(); }
    }

    /** The width run reports (what the GEMM meter weighs wall time by): the chunks dispatched, or 1 on the caller alone. */
    @ParameterizedTest @ValueSource(ints = {1, 2, 3})
    void runReportsTheThreadsItDispatchedTo(int threads) {
        Par par = new Par(threads);
        try {
            assertEquals(threads, par.run(threads * 10, 1, (c, l, h) -> {}));
            assertEquals(1, par.run(10, 100, (c, l, h) -> {}), "one chunk runs on the caller");
            int[] nested = new int[threads];
            par.run(threads, 1, (c, l, h) -> nested[c] = par.run(threads * 10, 1, (c2, l2, h2) -> {}));
            for (int c = 0; c < threads; c++) assertEquals(1, nested[c], "a call inside a chunk runs its chunks in place");
        } finally { par.close(); }
    }

    @ParameterizedTest @ValueSource(ints = {2, 3})
    void aFailingChunkReachesTheCallerAndTheParStaysUsable(int threads) {
        Par par = new Par(threads);
        try {
            for (int bad = 0; bad < threads; bad++) {
                int failing = bad;
                AtomicInteger finished = new AtomicInteger();
                var e = assertThrows(IllegalArgumentException.class, () -> par.run(threads * 10, 1, (c, l, h) -> {
                    if (c == failing) throw new IllegalArgumentException("chunk " + c);
                    finished.incrementAndGet();
                }));
                assertEquals("chunk " + failing, e.getMessage());
                // the call returns only after the other chunks are done (they write the caller's arrays)
                assertEquals(threads - 1, finished.get());
                checkOneCall(par, 100, 1);
            }
        } finally { par.close(); }
    }

    @ParameterizedTest @ValueSource(ints = {2, 3})
    void nestedCallsRunTheirChunksOnTheCallingThread(int threads) {
        Par par = new Par(threads);
        try {
            int n = 12;
            int[] inner = new int[n * n];
            par.run(n, 1, (c, l, h) -> {
                for (int i = l; i < h; i++) {
                    int row = i;
                    par.run(n, 1, (c2, l2, h2) -> { for (int j = l2; j < h2; j++) inner[row * n + j]++; });
                }
            });
            for (int v : inner) assertEquals(1, v);
        } finally { par.close(); }
    }

    @ParameterizedTest @ValueSource(ints = {2, 3})
    void concurrentCallersBothGetEveryChunk(int threads) throws Exception {
        Par par = new Par(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        Runnable caller = () -> {
            try {
                start.await();
                for (int call = 0; call < 5_000; call++) checkOneCall(par, 1 + call % 29, 1);
            } catch (Throwable t) { failure.compareAndSet(null, t); }
        };
        Thread a = new Thread(caller), b = new Thread(caller);
        a.start(); b.start(); start.countDown();
        a.join(); b.join();
        par.close();
        if (failure.get() != null) throw new AssertionError(failure.get());
    }

    @ParameterizedTest @ValueSource(ints = {2, 3})
    void callsAfterCloseStillRunEveryChunk(int threads) {
        Par par = new Par(threads);
        par.close();
        checkOneCall(par, 50, 1);
    }

    @ParameterizedTest @ValueSource(ints = {2})
    void idleWorkersParkAndWakeUpForTheNextCall(int threads) throws Exception {
        Par par = new Par(threads);
        try {
            checkOneCall(par, 100, 1);
            Thread.sleep(Par.SPIN_NANOS / 1_000_000 + 20);   // past the spin window: the worker parks
            for (int call = 0; call < 100; call++) checkOneCall(par, 100, 1);
        } finally { par.close(); }
    }
}
