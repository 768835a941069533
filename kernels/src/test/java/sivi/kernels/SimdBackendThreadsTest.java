package sivi.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import sivi.kernels.simd.SimdBackend;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The SIMD backend with two threads: the whole contract again, the parallel paths at sizes large
 * enough to split, and bit-identical results across two runs (two fresh backends).
 */
class SimdBackendThreadsTest extends BackendContract {
    @Override Backend create() { return new SimdBackend(2); }

    /** Every op whose rows or partial sums are split over threads, at sizes that split. */
    private static Tensor[] workload(Backend be, DType dt) {
        var r = new SplittableRandom(21);
        Tensor a = rand(dt, r, -1, 1, 300, 200), b = rand(dt, r, -1, 1, 200, 150);
        Tensor x = rand(dt, r, -2, 2, 3000, 3), mu = rand(dt, r, -2, 2, 40, 3), ls = rand(dt, r, -1, 0, 40, 3);
        Tensor d2 = be.sqDist(x.slice(0, 0, 500), mu.slice(0, 0, 7));
        Tensor big = rand(dt, r, -1, 1, 500, 400);
        Tensor k = be.kernelFromSqDist(StationaryKernel.RBF, big, 1.0);
        Tensor w = rand(dt, r, -1, 1, 30, 40), bias = rand(dt, r, -1, 1, 40), xin = rand(dt, r, -1, 1, 2000, 30);
        Tensor y = be.dense(Activation.TANH, xin, w, bias);
        Tensor[] kb = be.kernelFromSqDistBackward(StationaryKernel.RBF, big, k, 1.0, big);
        Tensor[] mb = be.lseMixtureBackward(x, mu, ls, rand(dt, r, -1, 1, 3000));
        Tensor[] db = be.denseBackward(Activation.TANH, xin, w, bias, y, rand(dt, r, -1, 1, 2000, 40));
        Tensor[] dc = be.distContract(big.slice(1, 0, 300).slice(0, 0, 300), x.slice(0, 0, 300), x.slice(0, 300, 600));
        Tensor l1 = be.l1Dist(x.slice(0, 0, 500), x.slice(0, 500, 900));
        Tensor[] lc = be.l1DistContract(big.slice(1, 0, 300).slice(0, 0, 300), x.slice(0, 0, 300), x.slice(0, 300, 600));
        Tensor xa = x.slice(0, 0, 600), xb = x.slice(0, 600, 1100), ka = rand(dt, r, -1, 1, 600, 2), kb2 = rand(dt, r, -1, 1, 500, 2);
        Tensor[] kq = be.ksdQuadraticWithGradient(StationaryKernel.LAPLACE, xa, xb, ka, kb2, 0.8);
        Tensor[] kr = be.ksdQuadraticWithGradient(StationaryKernel.RBF, xa, xb, ka, kb2, 0.8);
        return new Tensor[] {be.ksdQuadratic(StationaryKernel.IMQ, xa, xb, ka, kb2, 0.8), kq[0], kq[1], kq[2], kq[3], kq[4], kq[5], kr[0], kr[1], kr[5], l1, lc[0], lc[1], be.matmul(a, b, false, false), be.matmul(a, a, true, false), d2, k, kb[0], kb[1], y, db[0], db[1], db[2],
                mb[0], mb[1], mb[2], be.lseMixture(x, mu, ls), be.reduce(Reduce.SUM, big, 0, false), be.reduce(Reduce.LOGSUMEXP, big, 1, false),
                be.unary(Unary.EXP, big), be.binary(Binary.MUL, big, big.slice(0, 0, 1)), dc[0], dc[1]};
    }

    @ParameterizedTest @EnumSource(DType.class)
    void twoRunsWithTwoThreadsAreBitIdentical(DType dt) {
        Tensor[] first, second;
        try (Backend b1 = new SimdBackend(2)) { first = workload(b1, dt); }
        try (Backend b2 = new SimdBackend(2)) { second = workload(b2, dt); }
        for (int i = 0; i < first.length; i++) {
            double[] u = first[i].toDoubleArray(), v = second[i].toDoubleArray();
            for (int j = 0; j < u.length; j++)
                assertEquals(Double.doubleToRawLongBits(u[j]), Double.doubleToRawLongBits(v[j]), "output " + i + " element " + j + " differs between runs");
        }
    }

    /** reluNetGradient splits fixed blocks of draws over the threads: one and two threads give the same bits. */
    @ParameterizedTest @EnumSource(DType.class)
    void reluNetGradientDoesNotDependOnTheThreadCount(DType dt) {
        var r = new SplittableRandom(23);
        int rows = 45, d = 5, h = 21, n = 37, dim = (d + 1) * h + h + 1;
        Tensor x = rand(dt, r, -2, 2, rows, d), y = rand(dt, r, -2, 2, rows, 1), th = rand(dt, r, -1, 1, n, dim), v = rand(dt, r, -1, 1, n, dim);
        try (Backend one = new SimdBackend(1); Backend two = new SimdBackend(2)) {
            for (Tensor dir : new Tensor[] {null, v})
                assertSameBits(one.reluNetGradient(x, y, th, dir, h, 2.5), two.reluNetGradient(x, y, th, dir, h, 2.5), "reluNetGradient " + (dir == null ? "score " : "hvp ") + dt);
        }
    }

    @ParameterizedTest @EnumSource(DType.class)
    void parallelPathsAgreeWithReferenceAtSplittingSizes(DType dt) {
        var r = new SplittableRandom(22);
        checkMatmul(dt, rand(dt, r, -1, 1, 300, 200), rand(dt, r, -1, 1, 150, 200), false, true, "300x200x150 split");
        checkMixture(dt, rand(dt, r, -2, 2, 3000, 3), rand(dt, r, -2, 2, 40, 3), rand(dt, r, -1, 0, 40, 3), rand(dt, r, -1, 1, 3000), "3000 rows split");
        Tensor big = rand(dt, r, -3, 3, 300, 257);
        for (Reduce op : Reduce.values()) { checkReduce(dt, op, big, 0, false, "split"); checkReduce(dt, op, big, 1, true, "split"); }
        checkDense(dt, Activation.SILU, rand(dt, r, -1, 1, 700, 30), rand(dt, r, -1, 1, 30, 40), rand(dt, r, -1, 1, 40), "700 rows split");
        checkSqDist(dt, rand(dt, r, -1, 1, 400, 5), rand(dt, r, -1, 1, 300, 5), "400x300 split");
        checkL1Dist(dt, rand(dt, r, -1, 1, 400, 5), rand(dt, r, -1, 1, 300, 5), "400x300 split");
        checkL1Contract(dt, rand(dt, r, -1, 1, 400, 300), rand(dt, r, -1, 1, 400, 3), rand(dt, r, -1, 1, 300, 3), "400x300 split");
        for (StationaryKernel kern : StationaryKernel.values())
            checkKsd(kern, rand(dt, r, -1, 1, 400, 2), rand(dt, r, -1, 1, 300, 2), rand(dt, r, -1, 1, 400, 3), rand(dt, r, -1, 1, 300, 3), 0.6, "400x300 split");
    }
}
