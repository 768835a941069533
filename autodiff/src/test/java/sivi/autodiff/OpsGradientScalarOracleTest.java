package sivi.autodiff;

import sivi.kernels.Backend;
import sivi.kernels.Kernels;

/** The op gradient checks on the scalar oracle. */
class OpsGradientScalarOracleTest extends OpsGradientContract {
    private static final Backend ORACLE = Kernels.reference();

    @Override Backend backend() { return ORACLE; }
}
