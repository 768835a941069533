package sivi.fit;

import org.junit.jupiter.api.Test;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FitConfigTest {
    @Test void currentBackendIsTheOneBoundByKernelsWith() {
        try (Backend scalar = Backends.create("scalar", 1); Backend simd = Backends.create("simd", 2)) {
            FitConfig a = Kernels.with(scalar, () -> FitConfig.defaults(10).withCurrentBackend());
            FitConfig b = Kernels.with(simd, () -> FitConfig.defaults(10).withCurrentBackend());
            assertEquals("scalar", a.backend());
            assertEquals(1, a.threads());
            assertEquals("simd", b.backend());
            assertEquals(2, b.threads());
        }
    }
}
