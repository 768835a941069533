package sivi.kernels.simd;

import java.util.function.Supplier;
import sivi.tensor.Tensor;

/**
 * A kernel call on two new threads: one whose {@link Scratch} arrays are sized by this call (its first), and one whose
 * arrays grew on a larger call first — for tests that a reused array's length never reaches a result's bits.
 */
final class ScratchHistory {
    private ScratchHistory() {}

    /** {fresh thread's result, grown thread's result}; a failure on either thread is rethrown here. */
    static Tensor[][] freshAndGrown(Runnable larger, Supplier<Tensor[]> call) throws InterruptedException {
        Tensor[][] got = new Tensor[2][];
        Throwable[] failed = new Throwable[1];
        Thread fresh = new Thread(() -> got[0] = call.get()), grown = new Thread(() -> { larger.run(); got[1] = call.get(); });
        for (Thread t : new Thread[] {fresh, grown}) {
            t.setUncaughtExceptionHandler((th, e) -> failed[0] = e);
            t.start();
            t.join();
        }
        if (failed[0] != null) throw new AssertionError("kernel call failed on its thread", failed[0]);
        return got;
    }
}
