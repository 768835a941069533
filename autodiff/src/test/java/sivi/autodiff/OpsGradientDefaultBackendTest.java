package sivi.autodiff;

import sivi.kernels.Backend;
import sivi.kernels.Kernels;

/** The op gradient checks on the default backend (what production code runs on). */
class OpsGradientDefaultBackendTest extends OpsGradientContract {
    @Override Backend backend() { return Kernels.current(); }
}
