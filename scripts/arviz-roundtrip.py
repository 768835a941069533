#!/usr/bin/env python3
"""Reads a `sivi mcmc --format cmdstan` run with ArviZ and checks it against the run's summary.json.

    python3 scripts/arviz-roundtrip.py RUN_DIR

Exit 0 and "ok ..." when ArviZ sees every chain with Stan's sampler statistics and its R-hat, bulk
and tail ESS and MCSE agree with summary.json; exit 1 naming the first disagreement.
"""
import glob, json, os, sys
import arviz as az

run = sys.argv[1]
files = sorted(glob.glob(os.path.join(run, "chain-*.cmdstan.csv")))
summary = json.load(open(os.path.join(run, "summary.json")))
idata = az.from_cmdstan(files)
post, stats = idata.posterior, idata.sample_stats
fail = []
if post.sizes["chain"] != summary["chains"] or post.sizes["draw"] != summary["draws"]:
    fail.append(f"shape {dict(post.sizes)} vs {summary['chains']} chains x {summary['draws']} draws")
for v in ("lp", "acceptance_rate", "step_size", "tree_depth", "n_steps", "diverging", "energy"):
    if v not in stats:
        fail.append(f"sample_stats lacks {v}")
if int(stats["diverging"].sum()) != summary["divergences"]:
    fail.append(f"divergences {int(stats['diverging'].sum())} vs {summary['divergences']}")
bfmi = az.bfmi(idata)
for c, (a, b) in enumerate(zip(bfmi, summary["e_bfmi"])):
    if abs(a - b) > 1e-9 * abs(b):
        fail.append(f"chain {c + 1} E-BFMI {a} vs {b}")
# summary.json's diagnostics are per unconstrained coordinate; compare where the output is the coordinate itself
names = [n for n in summary["rhat"] if n in post]
for n in names:
    x = post[n].values
    for key, got in (("rhat", az.rhat(x, method="rank")), ("ess_bulk", az.ess(x, method="bulk")), ("ess_tail", az.ess(x, method="tail")),
                     ("mcse_mean", az.mcse(x, method="mean")), ("mcse_sd", az.mcse(x, method="sd"))):
        want = summary[key][n]
        if abs(float(got) - want) > 1e-6 * abs(want):
            fail.append(f"{n} {key}: ArviZ {float(got)} vs {want}")
if fail:
    print("\n".join(fail))
    sys.exit(1)
print(f"ok {len(files)} chains, {len(names)} parameters compared, arviz {az.__version__}")
