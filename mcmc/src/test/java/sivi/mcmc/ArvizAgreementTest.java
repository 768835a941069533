package sivi.mcmc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import sivi.data.Json;

/**
 * R-hat, ESS and MCSE agree with ArviZ on fixed draws (iid, AR(1), heavy-tailed with a shifted
 * chain; 4 chains × 300), to 1e-9 relative: the same definitions (Vehtari et al. 2021), only the
 * summation order differs. Draws and ArviZ's values come from scripts/arviz-reference.py.
 */
class ArvizAgreementTest {
    @SuppressWarnings("unchecked")
    @Test void diagnosticsMatchArviz() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/arviz/draws.csv")) { lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList(); }
        Map<String, Object> expected;
        try (InputStream in = getClass().getResourceAsStream("/arviz/expected.json")) { expected = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)); }
        String[] header = lines.get(0).split(",");
        int chains = 4, n = (lines.size() - 1) / chains;
        Map<String, ToDoubleFunction<double[][]>> measures = Map.of("r_hat", Diagnostics::rhat, "ess_bulk", Diagnostics::essBulk, "ess_tail", Diagnostics::essTail,
                "ess_mean", Diagnostics::essMean, "mcse_mean", Diagnostics::mcseMean, "mcse_sd", Diagnostics::mcseSd);
        Map<String, Object> vars = (Map<String, Object>) expected.get("variables");
        for (int v = 2; v < header.length; v++) {
            double[][] x = new double[chains][n];
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                x[Integer.parseInt(f[0])][Integer.parseInt(f[1])] = Double.parseDouble(f[v]);
            }
            Map<String, Object> want = (Map<String, Object>) vars.get(header[v]);
            for (var m : measures.entrySet()) {
                double w = ((Number) want.get(m.getKey())).doubleValue(), got = m.getValue().applyAsDouble(x);
                assertEquals(w, got, 1e-9 * Math.abs(w), header[v] + " " + m.getKey());
            }
        }
    }
}
