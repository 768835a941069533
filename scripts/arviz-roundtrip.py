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
warm = summary.get("save_warmup", False)
idata = az.from_cmdstan(files, save_warmup=warm)
post, stats = idata.posterior, idata.sample_stats
fail = []
kept = summary.get("draws_kept", summary["draws"])
if post.sizes["chain"] != summary["chains"] or post.sizes["draw"] != kept:
    fail.append(f"shape {dict(post.sizes)} vs {summary['chains']} chains x {kept} draws")
if warm:
    # --save-warmup: the warm-up rows come first in each file and ArviZ splits them off by num_warmup/thin
    if "warmup_posterior" not in idata.groups() or "warmup_sample_stats" not in idata.groups():
        fail.append(f"no warm-up groups in {idata.groups()}")
    elif idata.warmup_posterior.sizes["draw"] != summary["warmup_kept"]:
        fail.append(f"warm-up draws {idata.warmup_posterior.sizes['draw']} vs {summary['warmup_kept']}")
    elif len(set(idata.warmup_sample_stats["step_size"].values[0].tolist())) < 2:
        fail.append("warm-up step sizes do not change during adaptation")
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
extra = ", warm-up read" if warm else ""
print(f"ok {len(files)} chains, {len(names)} parameters compared{extra}, arviz {az.__version__}")
