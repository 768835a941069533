#!/usr/bin/env bash
# The NUTS port test (issue #17) on the seven posteriors with reference draws that session 10 could not afford,
# now that their ports have hand-written one-point log densities (StanModel#pointModel). From the repository
# root: docs/results/posteriordb-nuts-session11/run.sh [OUT]  (about 70 minutes on one core, most of it diamonds, gp_pois_regr
# at tree depth 10 and the long one_comp run). Prints one line per run (compare.py's columns: result, max |z|,
# worst sd ratio, max R-hat, divergences, wall seconds).
set -euo pipefail
OUT=${1:-runs/pdb-nuts-session11}
HERE=docs/results/posteriordb-nuts-session11
run() {   # run NAME POSTERIOR [sivi mcmc options...]
  local name=$1 p=$2; shift 2
  [ -f "$OUT/$name/summary.json" ] || ./sivi mcmc --target "pdb-$p" --chains 4 --warmup 1000 --draws 1000 --no-plot --quiet --out "$OUT/$name" "$@" > /dev/null
}
for p in garch-garch11 bball_drive_event_0-hmm_drive_0 bball_drive_event_1-hmm_drive_1 diamonds-diamonds; do
  run "$p" "$p"; python3 $HERE/compare.py "$p" "$OUT/$p"
done
# seed 1's uniform starts strand a chain on these two; Pathfinder's draws as starts, seeds 1-4
for p in arma-arma11 hudson_lynx_hare-lotka_volterra; do
  run "$p" "$p"; python3 $HERE/compare.py "$p" "$OUT/$p"
  for s in 1 2 3 4; do run "$p-pf-seed$s" "$p" --init pathfinder --seed $s; python3 $HERE/compare.py "$p" "$OUT/$p-pf-seed$s"; done
done
# arma11 from uniform starts, seeds 2-8 (how often a chain strands)
for s in 2 3 4 5 6 7 8; do run "arma-seed$s" arma-arma11 --seed $s; python3 $HERE/compare.py arma-arma11 "$OUT/arma-seed$s"; done
# one_comp: heavy tails along the K_m-V_m ridge; 4 x 1000, then 4 x 50 000 thinned by 50 at target-accept 0.95
p=one_comp_mm_elim_abs-one_comp_mm_elim_abs
run "$p" "$p"; python3 $HERE/compare.py "$p" "$OUT/$p" --log --halves
run "$p-long" "$p" --draws 50000 --thin 50 --target-accept 0.95; python3 $HERE/compare.py "$p" "$OUT/$p-long" --log --halves
# gp_pois_regr (no reference draws): session 10's 9 divergences at target-accept 0.8, rerun at 0.95 (~30 minutes)
run gp_pois_regr-95 gp_pois_regr-gp_pois_regr --target-accept 0.95
python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print('gp_pois_regr-gp_pois_regr (target-accept 0.95)', 'R-hat', round(j['rhat_max'], 4), 'divergences', j['divergences'])" "$OUT/gp_pois_regr-95/summary.json"
