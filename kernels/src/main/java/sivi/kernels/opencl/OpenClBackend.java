package sivi.kernels.opencl;

import java.util.Arrays;
import sivi.kernels.*;
import sivi.tensor.DType;
import sivi.tensor.Shapes;
import sivi.tensor.Tensor;

/**
 * The OpenCL backend: every op except {@link #median} runs as OpenCL C kernels
 * ({@code resources/sivi/opencl/*.cl}, one program per dtype built with {@code -D REAL=float|double}).
 *
 * <p>Data movement is explicit: each op uploads its inputs once ({@link DeviceBuffer#upload}),
 * keeps intermediates on the device (e.g. the responsibilities of the mixture backward, the
 * pre-activation and gp of the dense backward, the per-element terms of the bandwidth gradient),
 * and downloads only its results. Views are made contiguous on the host before upload. Every copy,
 * launch and host-side computation is counted in {@link #stats()}.
 *
 * <p>Fused ops without an OpenCL kernel run as their twins on the device primitives (counted in
 * {@link sivi.kernels.fused.Fallbacks}): {@code ksdQuadratic} and its gradient
 * ({@link sivi.kernels.fused.ksd.KsdTwin}: the N×M intermediates are copied between ops),
 * {@code logisticTerms} and {@code matmulTimes}.
 *
 * <p>Host ops (counted in {@link Stats#hostOps()}): {@link #median} (selection on the host: a
 * device selection would be a multi-pass radix select and the op runs once per step on N·M
 * values); {@link #where} when {@code cond} has a different dtype from a and b (the 0/1 mask is
 * built on the host so that no nonzero f64 condition rounds to a zero f32).
 *
 * <p>Agreement with the scalar oracle (which accumulates in double and rounds once): elementwise
 * ops within the OpenCL built-in ulp bounds (OpenCL 1.2 §7.4: e.g. exp/log ≤ 3 ulp, pow ≤ 16 ulp
 * in f32) plus the few roundings of a composite; sums, GEMM and the fused ops accumulate in the
 * dtype, so they agree within γ_n = n·u times the sum of absolute terms (u = 2⁻²⁴ for f32,
 * 2⁻⁵³ for f64). The tests check exactly these bounds.
 *
 * <p>Not thread-safe per call: ops on one device serialise on its shared context. {@link #close()}
 * leaves the per-device context and its built programs alive for the JVM (they are reused by the
 * next backend on that device).
 */
public final class OpenClBackend implements Backend {
    private final OpenClDevice device;
    private final OpenClContext ctx;
    private final Counters counters = new Counters();

    /** The backend on device {@code index} of {@link Devices#list()}; throws {@link OpenClException} if OpenCL or the device is missing. */
    public OpenClBackend(int index) {
        this.device = Devices.get(index);
        this.ctx = OpenClContext.forDevice(device);
        ctx.program(DType.F32); // build (or load from cache) eagerly: a broken driver fails here, not mid-run
    }

    @Override public String name() { return "opencl"; }
    @Override public int threads() { return 1; }

    public OpenClDevice device() { return device; }

    /** Transfers, launches, device times and host ops since creation or {@link #resetStats()}. */
    public Stats stats() { synchronized (ctx) { return counters.snapshot(); } }

    public void resetStats() { synchronized (ctx) { counters.reset(); } }

    // ------------------------------------------------------------------ helpers

    private DeviceBuffer upload(Tensor t) { return DeviceBuffer.upload(ctx, counters, t, 0); }

    private DeviceBuffer alloc(DType dt, long n) { return DeviceBuffer.allocate(ctx, counters, dt, n); }

    private DeviceBuffer ints(int[] v) { return DeviceBuffer.uploadInts(ctx, counters, v); }

    private long pad(long n) { return OpenClContext.pad(n, ctx.wg); }

    private void launch1(DType dt, String kernel, long n, Object... args) {
        long[][] g = ctx.grid1(n);
        ctx.launch(counters, dt, kernel, g[0], g[1], args);
    }

    /** {rank, dims, then the strides of each operand} for strided_offset. */
    private static int[] meta(int[] dims, int[]... strides) {
        int r = dims.length;
        int[] m = new int[1 + r * (1 + strides.length)];
        m[0] = r;
        System.arraycopy(dims, 0, m, 1, r);
        for (int s = 0; s < strides.length; s++) System.arraycopy(strides[s], 0, m, 1 + r * (1 + s), r);
        return m;
    }

    /**
     * Launches the tiled GEMM: C = act(op(A) op(B) + bias) with op(A)[i,p] = A[i·sa0 + p·sa1].
     * M, N ≥ 1. Returns C on the device with row pitch {@link #pitch}(N) and padded rows.
     */
    private DeviceBuffer gemm(DType dt, DeviceBuffer a, int sa0, int sa1, DeviceBuffer b, int sb0, int sb1,
                              int m, int n, int k, DeviceBuffer bias, Activation act) {
        long pm = OpenClContext.pad(m, ctx.tile), pn = pitch(n);
        DeviceBuffer c = alloc(dt, pm * pn);
        ctx.launch(counters, dt, "gemm", new long[] {pn, pm}, new long[] {ctx.tile, ctx.tile},
                a, sa0, sa1, b, sb0, sb1, c, (int) pn, m, n, k, bias == null ? a : bias, bias == null ? 0 : 1, act.ordinal());
        return c;
    }

    private int pitch(int n) { return (int) OpenClContext.pad(n, ctx.tile); }

    /** Σ x[0..n) on the device: per-group partials, then one group over the partials. Returns a 1-element buffer. */
    private DeviceBuffer sumAll(DType dt, DeviceBuffer x, int n) {
        int groups = (int) Math.min(64, pad(n) / ctx.wg);
        DeviceBuffer out = alloc(dt, 1);
        try (DeviceBuffer partial = alloc(dt, groups)) {
            ctx.launch(counters, dt, "sum_partial", new long[] {(long) groups * ctx.wg}, new long[] {ctx.wg}, x, partial, n);
            ctx.launch(counters, dt, "sum_partial", new long[] {ctx.wg}, new long[] {ctx.wg}, partial, out, groups);
        }
        return out;
    }

    // ------------------------------------------------------------------ elementwise

    @Override public Tensor unary(Unary op, Tensor x) {
        int n = x.size();
        if (n == 0) return Tensor.zeros(x.dtype(), x.shape());
        synchronized (ctx) {
            try (DeviceBuffer xb = upload(x); DeviceBuffer yb = alloc(x.dtype(), pad(n))) {
                launch1(x.dtype(), "unary", n, xb, yb, op.ordinal(), n);
                return yb.download(x.shape());
            }
        }
    }

    @Override public Tensor binary(Binary op, Tensor a, Tensor b) {
        String name = op.name().toLowerCase();
        DType dt = Checks.sameDType(name, a, b);
        int[] s = Shapes.broadcast(name, a.shape(), b.shape());
        int n = Shapes.size(s);
        if (n == 0) return Tensor.zeros(dt, s);
        Tensor ac = a.contiguous(), bc = b.contiguous();
        synchronized (ctx) {
            try (DeviceBuffer ab = upload(ac); DeviceBuffer bb = upload(bc); DeviceBuffer mb = ints(meta(s, ac.expand(s).strides(), bc.expand(s).strides()));
                 DeviceBuffer yb = alloc(dt, pad(n))) {
                launch1(dt, "binary", n, ab, bb, yb, mb, op.ordinal(), n);
                return yb.download(s);
            }
        }
    }

    /** Runs on the device; when cond's dtype differs from a/b, its 0/1 mask is built on the host (a counted host op). */
    @Override public Tensor where(Tensor cond, Tensor a, Tensor b) {
        DType dt = Checks.sameDType("where", a, b);
        int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape(), a.shape()), b.shape());
        int n = Shapes.size(s);
        if (n == 0) return Tensor.zeros(dt, s);
        synchronized (ctx) {
            Tensor c = cond.contiguous();
            if (c.dtype() != dt) {
                double[] v = c.toDoubleArray();
                for (int i = 0; i < v.length; i++) v[i] = v[i] != 0 ? 1 : 0;
                c = Tensor.of(dt, v, c.shape());
                counters.hostOps++;
            }
            Tensor ac = a.contiguous(), bc = b.contiguous();
            try (DeviceBuffer cb = upload(c); DeviceBuffer ab = upload(ac); DeviceBuffer bb = upload(bc);
                 DeviceBuffer mb = ints(meta(s, c.expand(s).strides(), ac.expand(s).strides(), bc.expand(s).strides()));
                 DeviceBuffer yb = alloc(dt, pad(n))) {
                launch1(dt, "where_", n, cb, ab, bb, yb, mb, n);
                return yb.download(s);
            }
        }
    }

    @Override public Tensor affine(Tensor x, double a, double b) {
        int n = x.size();
        if (n == 0) return Tensor.zeros(x.dtype(), x.shape());
        synchronized (ctx) {
            try (DeviceBuffer xb = upload(x); DeviceBuffer yb = alloc(x.dtype(), pad(n))) {
                launch1(x.dtype(), "affine", n, xb, yb, a, b, n);
                return yb.download(x.shape());
            }
        }
    }

    // ------------------------------------------------------------------ reductions

    @Override public Tensor reduce(Reduce op, Tensor x, int axis, boolean keepDim) {
        Checks.ReduceGeometry geo = Checks.reduceGeometry(x.shape(), axis, keepDim);
        int outer = geo.outer(), len = geo.len(), inner = geo.inner();
        int[] ns = geo.outShape();
        int n = outer * inner;
        if (n == 0) return Tensor.zeros(x.dtype(), ns);
        synchronized (ctx) {
            try (DeviceBuffer xb = upload(x); DeviceBuffer yb = alloc(x.dtype(), pad(n))) {
                launch1(x.dtype(), "reduce_axis", n, xb, yb, op.ordinal(), outer, len, inner);
                return yb.download(ns);
            }
        }
    }

    @Override public Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int[] check = Shapes.broadcast("sumTo", shape, gs);
        if (!Arrays.equals(check, gs)) throw new IllegalArgumentException("sumTo: " + Shapes.str(gs) + " does not broadcast from " + Shapes.str(shape));
        int n = Shapes.size(shape);
        if (n == 0) return Tensor.zeros(g.dtype(), shape);
        int lead = gs.length - shape.length;
        int[] st = Shapes.rowMajorStrides(gs);
        int[] kd = new int[gs.length], ks = new int[gs.length], rd = new int[gs.length], rs = new int[gs.length];
        int kr = 0, rr = 0, count = 1;
        for (int a = 0; a < gs.length; a++) {
            boolean kept = a >= lead && shape[a - lead] != 1;
            if (kept) { kd[kr] = gs[a]; ks[kr++] = st[a]; }
            else if (gs[a] != 1) { rd[rr] = gs[a]; rs[rr++] = st[a]; count *= gs[a]; }
        }
        int[] m = new int[2 + 2 * kr + 2 * rr];
        m[0] = kr;
        System.arraycopy(kd, 0, m, 1, kr);
        System.arraycopy(ks, 0, m, 1 + kr, kr);
        m[1 + 2 * kr] = rr;
        System.arraycopy(rd, 0, m, 2 + 2 * kr, rr);
        System.arraycopy(rs, 0, m, 2 + 2 * kr + rr, rr);
        synchronized (ctx) {
            try (DeviceBuffer gb = upload(g); DeviceBuffer mb = ints(m); DeviceBuffer yb = alloc(g.dtype(), pad(n))) {
                launch1(g.dtype(), "sum_to", n, gb, yb, mb, n, count);
                return yb.download(shape);
            }
        }
    }

    // ------------------------------------------------------------------ linear algebra

    @Override public Tensor matmul(Tensor a, Tensor b, boolean ta, boolean tb) {
        int[] mkn = Checks.matmulShape("matmul", a, b, ta, tb);
        int m = mkn[0], k = mkn[1], n = mkn[2];
        DType dt = a.dtype();
        if (m == 0 || n == 0) return Tensor.zeros(dt, m, n);
        synchronized (ctx) {
            // a is stored m×k (or k×m when transposed), b k×n (or n×k): transposition is a stride swap.
            try (DeviceBuffer ab = upload(a); DeviceBuffer bb = upload(b);
                 DeviceBuffer c = gemm(dt, ab, ta ? 1 : k, ta ? m : 1, bb, tb ? 1 : n, tb ? k : 1, m, n, k, null, Activation.IDENTITY)) {
                return c.downloadRows(m, n, pitch(n));
            }
        }
    }

    // ------------------------------------------------------------------ pairwise

    @Override public Tensor sqDist(Tensor x, Tensor y) { return pairwise("sqDist", "sq_dist", x, y); }

    @Override public Tensor l1Dist(Tensor x, Tensor y) { return pairwise("l1Dist", "l1_dist", x, y); }

    /** One work item per (n, m): the distance kernel {@code kernel} over the d coordinates. */
    private Tensor pairwise(String op, String kernel, Tensor x, Tensor y) {
        int d = Checks.pairDims(op, x, y);
        int n = x.dim(0), m = y.dim(0);
        if (n == 0 || m == 0) return Tensor.zeros(x.dtype(), n, m);
        synchronized (ctx) {
            try (DeviceBuffer xb = upload(x); DeviceBuffer yb = upload(y); DeviceBuffer ob = alloc(x.dtype(), pad((long) n * m))) {
                launch1(x.dtype(), kernel, (long) n * m, xb, yb, ob, n, m, d);
                return ob.download(n, m);
            }
        }
    }

    @Override public Tensor[] distContract(Tensor w, Tensor x, Tensor y) {
        return contract("distContract", "dist_contract_x", "dist_contract_y", w, x, y);
    }

    @Override public Tensor[] l1DistContract(Tensor w, Tensor x, Tensor y) {
        return contract("l1DistContract", "l1_contract_x", "l1_contract_y", w, x, y);
    }

    /** A pairwise backward: one work item per (n, k) for gx, per (m, k) for gy, each summing over the other side. */
    private Tensor[] contract(String op, String kernelX, String kernelY, Tensor w, Tensor x, Tensor y) {
        int d = Checks.pairDims(op, x, y);
        int n = x.dim(0), m = y.dim(0);
        Checks.pairWeights(op, w, x, y);
        DType dt = x.dtype();
        synchronized (ctx) {
            // w, x, y go up once and serve both contractions.
            try (DeviceBuffer wb = upload(w); DeviceBuffer xb = upload(x); DeviceBuffer yb = upload(y);
                 DeviceBuffer gx = alloc(dt, pad((long) n * d)); DeviceBuffer gy = alloc(dt, pad((long) m * d))) {
                Tensor rx = Tensor.zeros(dt, n, d), ry = Tensor.zeros(dt, m, d);
                if (n * d > 0) launch1(dt, kernelX, (long) n * d, wb, xb, yb, gx, n, m, d);
                if (m * d > 0) launch1(dt, kernelY, (long) m * d, wb, xb, yb, gy, n, m, d);
                if (n * d > 0) rx = gx.download(n, d);
                if (m * d > 0) ry = gy.download(m, d);
                return new Tensor[] {rx, ry};
            }
        }
    }

    @Override public Tensor kernelFromSqDist(StationaryKernel kernel, Tensor dist2, double h) {
        int n = dist2.size();
        if (n == 0) return Tensor.zeros(dist2.dtype(), dist2.shape());
        synchronized (ctx) {
            try (DeviceBuffer db = upload(dist2); DeviceBuffer kb = alloc(dist2.dtype(), pad(n))) {
                launch1(dist2.dtype(), "kernel_from_sqdist", n, db, kb, kernel.ordinal(), 1 / (2 * h * h), 1 / h, n);
                return kb.download(dist2.shape());
            }
        }
    }

    @Override public Tensor[] kernelFromSqDistBackward(StationaryKernel kernel, Tensor dist2, Tensor k, double h, Tensor gK) {
        int n = dist2.size();
        DType dt = dist2.dtype();
        if (n == 0) return new Tensor[] {Tensor.zeros(dt, dist2.shape()), Tensor.zeros(dt)};
        synchronized (ctx) {
            try (DeviceBuffer db = upload(dist2); DeviceBuffer kb = upload(k); DeviceBuffer gkb = upload(gK);
                 DeviceBuffer gd = alloc(dt, pad(n)); DeviceBuffer terms = alloc(dt, pad(n))) {
                launch1(dt, "kernel_from_sqdist_backward", n, db, kb, gkb, gd, terms, kernel.ordinal(), 1 / (2 * h * h), 1 / h, 1 / (h * h), 1 / (h * h * h), n);
                try (DeviceBuffer gh = sumAll(dt, terms, n)) { // the terms never leave the device
                    return new Tensor[] {gd.download(dist2.shape()), gh.download()};
                }
            }
        }
    }

    /**
     * The distances by this backend's kernel, then {@link #median} on the host (a counted host op) and the first
     * entry by a host scan: the composition itself, which is all this backend can do natively here.
     */
    @Override public sivi.kernels.PairMedian pairwiseMedian(Tensor x, Tensor y, boolean l1) {
        return sivi.kernels.fused.median.MedianTwin.pairwise(this, x, y, l1);
    }

    /**
     * Computed on the HOST (counted in {@link Stats#hostOps()}): quickselect of the lower median
     * over a host copy, ordered as {@link Double#compare} (NaN last), so it equals the oracle exactly.
     */
    @Override public double median(Tensor x) {
        double[] v = x.toDoubleArray();
        if (v.length == 0) throw new IllegalArgumentException("median of an empty tensor");
        synchronized (ctx) { counters.hostOps++; }
        int want = (v.length - 1) / 2, lo = 0, hi = v.length - 1;
        while (lo < hi) {
            double pivot = v[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j) {
                while (Double.compare(v[i], pivot) < 0) i++;
                while (Double.compare(v[j], pivot) > 0) j--;
                if (i <= j) { double t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
            }
            if (want <= j) hi = j;
            else if (want >= i) lo = i;
            else break;
        }
        return v[want];
    }

    // ------------------------------------------------------------------ log-sum-exp mixture

    @Override public Tensor lseMixture(Tensor x, Tensor mu, Tensor logSigma) {
        boolean shared = Checks.mixture("lseMixture", x, mu, logSigma);
        int n = x.dim(0), kk = mu.dim(0), d = x.dim(1);
        DType dt = x.dtype();
        if (n == 0) return Tensor.zeros(dt, 0);
        synchronized (ctx) {
            try (DeviceBuffer xb = upload(x); DeviceBuffer mb = upload(mu); DeviceBuffer sb = upload(logSigma); DeviceBuffer ob = alloc(dt, pad(n))) {
                launch1(dt, "mixture_fwd", n, xb, mb, sb, ob, n, kk, d, shared ? 1 : 0);
                return ob.download(n);
            }
        }
    }

    @Override public Tensor[] lseMixtureBackward(Tensor x, Tensor mu, Tensor logSigma, Tensor gOut) {
        boolean shared = Checks.mixture("lseMixtureBackward", x, mu, logSigma);
        int n = x.dim(0), kk = mu.dim(0), d = x.dim(1);
        DType dt = x.dtype();
        synchronized (ctx) {
            // Inputs go up once; the responsibilities W (N×K) and per-component gls stay on the device.
            try (DeviceBuffer xb = upload(x); DeviceBuffer mb = upload(mu); DeviceBuffer sb = upload(logSigma); DeviceBuffer gb = upload(gOut);
                 DeviceBuffer w = alloc(dt, pad(n) * Math.max(1, kk)); DeviceBuffer gx = alloc(dt, pad((long) n * d));
                 DeviceBuffer gm = alloc(dt, pad((long) kk * d)); DeviceBuffer gsk = alloc(dt, pad((long) kk * d)); DeviceBuffer gss = alloc(dt, pad(d))) {
                Tensor rx = Tensor.zeros(dt, n, d), rm = Tensor.zeros(dt, kk, d), rs = Tensor.zeros(dt, logSigma.shape());
                if (n > 0 && kk > 0) launch1(dt, "mixture_resp", n, xb, mb, sb, gb, w, n, kk, d, shared ? 1 : 0);
                if (n * d > 0) launch1(dt, "mixture_gx", (long) n * d, xb, mb, sb, w, gx, n, kk, d, shared ? 1 : 0);
                if (kk * d > 0) {
                    launch1(dt, "mixture_gmu_gls", (long) kk * d, xb, mb, sb, w, gm, gsk, n, kk, d, shared ? 1 : 0);
                    if (shared) launch1(dt, "reduce_axis", d, gsk, gss, Reduce.SUM.ordinal(), 1, kk, d);
                    rm = gm.download(kk, d);
                    rs = (shared ? gss : gsk).download(logSigma.shape());
                }
                if (n * d > 0) rx = gx.download(n, d);
                return new Tensor[] {rx, rm, rs};
            }
        }
    }

    // ------------------------------------------------------------------ conditional layer

    @Override public Tensor dense(Activation act, Tensor x, Tensor w, Tensor b) {
        int o = Checks.dense("dense", x, w, b);
        int n = x.dim(0), in = x.dim(1);
        DType dt = x.dtype();
        if (n == 0 || o == 0) return Tensor.zeros(dt, n, o);
        synchronized (ctx) {
            try (DeviceBuffer xb = upload(x); DeviceBuffer wb = upload(w); DeviceBuffer bb = upload(b);
                 DeviceBuffer y = gemm(dt, xb, in, 1, wb, o, 1, n, o, in, bb, act)) {
                return y.downloadRows(n, o, pitch(o));
            }
        }
    }

    @Override public Tensor[] denseBackward(Activation act, Tensor x, Tensor w, Tensor b, Tensor y, Tensor gy) {
        int o = Checks.dense("denseBackward", x, w, b);
        int n = x.dim(0), in = x.dim(1);
        DType dt = x.dtype();
        if (n == 0 || o == 0) return new Tensor[] {Tensor.zeros(dt, n, in), Tensor.zeros(dt, in, o), Tensor.zeros(dt, b.shape())};
        synchronized (ctx) {
            // x, W, b, y, gy go up once; pre and gp stay on the device for the three products.
            try (DeviceBuffer xb = upload(x); DeviceBuffer wb = upload(w); DeviceBuffer bb = upload(b); DeviceBuffer yb = upload(y); DeviceBuffer gyb = upload(gy);
                 DeviceBuffer pre = gemm(dt, xb, in, 1, wb, o, 1, n, o, in, bb, Activation.IDENTITY);
                 DeviceBuffer gp = alloc(dt, pad((long) n * o)); DeviceBuffer gbb = alloc(dt, pad(o))) {
                launch1(dt, "dense_grad_pre", (long) n * o, pre, pitch(o), yb, gyb, gp, act.ordinal(), n, o);
                launch1(dt, "reduce_axis", o, gp, gbb, Reduce.SUM.ordinal(), 1, n, o); // gb = Σ_n gp
                Tensor gx = Tensor.zeros(dt, n, in), gw = Tensor.zeros(dt, in, o);
                if (in > 0) {
                    try (DeviceBuffer gxb = gemm(dt, gp, o, 1, wb, 1, o, n, in, o, null, Activation.IDENTITY); // gp Wᵀ
                         DeviceBuffer gwb = gemm(dt, xb, 1, in, gp, o, 1, in, o, n, null, Activation.IDENTITY)) { // xᵀ gp
                        gx = gxb.downloadRows(n, in, pitch(in));
                        gw = gwb.downloadRows(in, o, pitch(o));
                    }
                }
                return new Tensor[] {gx, gw, gbb.download(b.shape())};
            }
        }
    }
}
