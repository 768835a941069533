// Reductions. reduce_axis mirrors ScalarBackend.reduce: x viewed as outer × len × inner, one work
// item per (outer, inner) output, a sequential loop over len.
kernel void reduce_axis(global const real* x, global real* y, int op, int outer, int len, int inner) {
    int g = get_global_id(0), gc = clampi(g, outer * inner);
    int o = gc / inner, r = gc % inner, base = o * len * inner + r;
    real acc;
    if (op == R_SUM || op == R_MEAN) {
        acc = 0;
        for (int j = 0; j < len; j++) acc += x[base + j * inner];
        if (op == R_MEAN) acc /= (real) len; // len 0: 0/0 = NaN, as the reference
    } else {
        real m = -INFINITY;
        for (int j = 0; j < len; j++) m = max_nan(m, x[base + j * inner]);
        if (op == R_MAX || isinf(m) || isnan(m)) acc = m; // all −∞ gives −∞; +∞ or NaN propagate
        else {
            real s = 0;
            for (int j = 0; j < len; j++) s += exp(x[base + j * inner] - m);
            acc = m + log(s);
        }
    }
    y[g] = acc;
}

// sumTo: one work item per output element; sums the `count` elements of g that broadcast onto it.
// meta = {kept rank, kept dims, kept strides (in g), reduced rank, reduced dims, reduced strides}
kernel void sum_to(global const real* src, global real* y, global const int* meta, int n, int count) {
    int g = get_global_id(0), i = clampi(g, n);
    int kr = meta[0];
    global const int* rm = meta + 1 + 2 * kr;
    int rr = rm[0];
    int base = strided_offset(i, kr, meta + 1, meta + 1 + kr);
    real acc = 0;
    for (int r = 0; r < count; r++) acc += src[base + strided_offset(r, rr, rm + 1, rm + 1 + rr)];
    y[g] = acc;
}

// Sum of x[0..n): each work group writes one partial sum; launched again over the partials with
// one group. Every item runs the same number of iterations; past-the-end terms are masked to 0.
kernel void sum_partial(global const real* x, global real* partial, int n) {
    local real buf[WG];
    int l = get_local_id(0), g = get_global_id(0), total = get_global_size(0);
    int iters = (n + total - 1) / total;
    real acc = 0;
    for (int t = 0; t < iters; t++) {
        int idx = t * total + g;
        real v = x[clampi(idx, n)];
        acc += idx < n ? v : LIT(0.0);
    }
    buf[l] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (l < s) buf[l] += buf[l + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (l == 0) partial[get_group_id(0)] = buf[0];
}
