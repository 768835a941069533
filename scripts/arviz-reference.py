#!/usr/bin/env python3
"""Writes fixed MCMC-like draws and ArviZ's diagnostics of them, for sivi.mcmc.ArvizAgreementTest.

    python3 scripts/arviz-reference.py      (needs numpy and arviz; pip install arviz)

Output: mcmc/src/test/resources/arviz/draws.csv (chain, draw, then one column per variable) and
expected.json (ArviZ's r_hat (rank), ess_bulk, ess_tail, ess_mean, mcse_mean, mcse_sd per variable).
"""
import json, os
import numpy as np
import arviz as az

rng = np.random.default_rng(20261206)
chains, n = 4, 300
draws = {}
draws["iid"] = rng.normal(size=(chains, n))
ar = np.empty((chains, n))                      # AR(1), phi = 0.8: ESS well below the draw count
ar[:, 0] = rng.normal(size=chains)
for t in range(1, n):
    ar[:, t] = 0.8 * ar[:, t - 1] + np.sqrt(1 - 0.64) * rng.normal(size=chains)
draws["ar1"] = ar
heavy = rng.standard_t(3, size=(chains, n))    # heavy tails, and one chain shifted: R-hat > 1
heavy[3] += 1.5
draws["shifted_t3"] = heavy

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mcmc", "src", "test", "resources", "arviz")
os.makedirs(out, exist_ok=True)
names = list(draws)
with open(os.path.join(out, "draws.csv"), "w") as f:
    f.write("chain,draw," + ",".join(names) + "\n")
    for c in range(chains):
        for t in range(n):
            f.write(f"{c},{t}," + ",".join(repr(float(draws[k][c, t])) for k in names) + "\n")
expected = {"arviz": az.__version__, "variables": {}}
for k in names:
    x = draws[k]
    expected["variables"][k] = {
        "r_hat": float(az.rhat(x, method="rank")),
        "ess_bulk": float(az.ess(x, method="bulk")),
        "ess_tail": float(az.ess(x, method="tail")),
        "ess_mean": float(az.ess(x, method="mean")),
        "mcse_mean": float(az.mcse(x, method="mean")),
        "mcse_sd": float(az.mcse(x, method="sd")),
    }
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=2)
print(json.dumps(expected, indent=2))
