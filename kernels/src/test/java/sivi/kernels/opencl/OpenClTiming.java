package sivi.kernels.opencl;

import java.util.SplittableRandom;
import sivi.kernels.Backend;
import sivi.kernels.ref.ScalarBackend;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The timing table of kernels/OPENCL.md: GEMM 256³ and pairwise sqDist N=1000 d=2, OpenCL (device
 * 0) against the scalar oracle, f32. Not a test and not JMH: a tiny main, best of a few repeats
 * after warm-up. Run: java -cp ... sivi.kernels.opencl.OpenClTiming
 */
public final class OpenClTiming {
    public static void main(String[] args) {
        var r = new SplittableRandom(1);
        Tensor a = rand(r, 256, 256), b = rand(r, 256, 256), x = rand(r, 1000, 2);
        Backend ref = new ScalarBackend();
        try (OpenClBackend cl = new OpenClBackend(args.length > 0 ? Integer.parseInt(args[0]) : 0)) {
            System.out.println("device: " + cl.device().describe());
            row("GEMM 256x256x256", () -> ref.matmul(a, b, false, false), cl, () -> cl.matmul(a, b, false, false));
            row("sqDist N=1000 d=2", () -> ref.sqDist(x, x), cl, () -> cl.sqDist(x, x));
        }
    }

    static Tensor rand(SplittableRandom r, int n, int m) {
        double[] v = new double[n * m];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble() * 2 - 1;
        return Tensor.of(DType.F32, v, n, m);
    }

    static void row(String what, Runnable scalar, OpenClBackend cl, Runnable device) {
        double s = best(scalar);
        for (int i = 0; i < 3; i++) device.run(); // warm-up (PoCL specialises work-group functions on first launch)
        double wall = Double.MAX_VALUE, kern = 0, xfer = 0;
        for (int i = 0; i < 5; i++) {
            cl.resetStats();
            long t0 = System.nanoTime();
            device.run();
            double w = (System.nanoTime() - t0) / 1e6;
            Stats st = cl.stats();
            if (w < wall) { wall = w; kern = st.kernelNanos() / 1e6; xfer = st.transferNanos() / 1e6; }
        }
        System.out.printf(java.util.Locale.ROOT, "%-20s scalar %8.2f ms | opencl wall %8.2f ms = kernel %8.2f ms + transfers %6.2f ms + host overhead%n", what, s, wall, kern, xfer);
    }

    static double best(Runnable f) {
        f.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) { long t0 = System.nanoTime(); f.run(); best = Math.min(best, (System.nanoTime() - t0) / 1e6); }
        return best;
    }
}
