// Tiled GEMM with a fused epilogue: C = act(op(A) op(B) + bias). Transposes are expressed by
// strides (A[i,p] = A[i*sa0 + p*sa1]), so no transposed copy is made. Local size TILE×TILE; the
// grid is padded to multiples of TILE, C has row pitch ldc ≥ padded N and padded rows, and the
// K tail of the last tile is zero-filled (a select, not a branch around the barrier).
kernel void gemm(global const real* A, int sa0, int sa1, global const real* B, int sb0, int sb1,
                 global real* C, int ldc, int M, int N, int K, global const real* bias, int has_bias, int act) {
    local real As[TILE][TILE];
    local real Bs[TILE][TILE];
    int lj = get_local_id(0), li = get_local_id(1);
    int j = get_global_id(0), i = get_global_id(1);
    int ic = clampi(i, M), jc = clampi(j, N);
    real acc = 0;
    for (int t = 0; t < K; t += TILE) {
        int pa = t + lj, pb = t + li;
        real av = A[ic * sa0 + clampi(pa, K) * sa1];
        real bv = B[clampi(pb, K) * sb0 + jc * sb1];
        As[li][lj] = pa < K ? av : LIT(0.0);
        Bs[li][lj] = pb < K ? bv : LIT(0.0);
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TILE; p++) acc += As[li][p] * Bs[p][lj];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    real pre = acc + (has_bias ? bias[jc] : LIT(0.0));
    C[i * ldc + j] = activate(act, pre);
}

// Conditional layer backward, first step: gp = gy ⊙ act'(pre) with pre read at row pitch ldp.
kernel void dense_grad_pre(global const real* pre, int ldp, global const real* y, global const real* gy, global real* gp,
                           int act, int rows, int cols) {
    int g = get_global_id(0), gc = clampi(g, rows * cols), r = gc / cols, c = gc % cols;
    gp[g] = gy[gc] * activate_grad(act, pre[r * ldp + c], y[gc]);
}
