package sivi.autodiff;

import sivi.kernels.Backend;
import sivi.kernels.Kernels;

/** Fused ops against their composite twins on the default backend. */
class FusedVsCompositeDefaultBackendTest extends FusedVsCompositeContract {
    @Override Backend backend() { return Kernels.current(); }
}
