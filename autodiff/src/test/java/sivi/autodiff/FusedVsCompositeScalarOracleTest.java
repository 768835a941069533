package sivi.autodiff;

import sivi.kernels.Backend;
import sivi.kernels.Kernels;

/** Fused ops against their composite twins on the scalar oracle. */
class FusedVsCompositeScalarOracleTest extends FusedVsCompositeContract {
    private static final Backend ORACLE = Kernels.reference();

    @Override Backend backend() { return ORACLE; }
}
