package sivi.kernels;

import sivi.kernels.simd.SimdBackend;

/** The SIMD backend, single-threaded, against the oracle. */
class SimdBackendTest extends BackendContract {
    @Override Backend create() { return new SimdBackend(1); }
}
