#!/usr/bin/env python3
"""The NUTS port test of issue #17 on one run: |mean - ref mean| / ref sd < 0.1 and sd / ref sd within +-10 %
for every output of posteriordb's reference draws; --log adds the same figures on log scale (positive outputs), and
--halves the reference's own sd ratio between its chains 1-5 and 6-10 (what the reference itself resolves).
usage: compare.py POSTERIOR RUN_DIR [--log] [--halves]   (from the repository root)"""
import csv, gzip, json, math, sys

p, run = sys.argv[1], sys.argv[2]
log, halves = '--log' in sys.argv[3:], '--halves' in sys.argv[3:]
ref_file = f'posteriordb/src/main/resources/sivi/posteriordb/{p}/reference.csv.gz'


def columns(rows):
    rows = [r for r in rows if r and not r[0].startswith('#')]
    return {k: [float(r[i]) for r in rows[1:]] for i, k in enumerate(rows[0])}


def mean_sd(a):
    m = sum(a) / len(a)
    return m, math.sqrt(sum((x - m) ** 2 for x in a) / (len(a) - 1))


try:
    summary = json.load(open(run + '/summary.json'))
except OSError:
    sys.exit(f'{p}: no summary.json in {run}')
ref = columns(csv.reader(gzip.open(ref_file, 'rt')))
ours = columns(csv.reader(open(run + '/samples.csv')))
z_max, z_at, worst, worst_at, logs = 0.0, '', 1.0, '', []
for k in ref:
    if k.endswith('__'):
        continue
    (mr, sr), (mo, so) = mean_sd(ref[k]), mean_sd(ours[k])
    z, r = abs(mo - mr) / sr, so / sr
    if z > z_max:
        z_max, z_at = z, k
    if abs(r - 1) > abs(worst - 1):
        worst, worst_at = r, k
    if log and min(ref[k]) > 0 and min(ours[k]) > 0:
        (lr, slr), (lo, slo) = mean_sd([math.log(v) for v in ref[k]]), mean_sd([math.log(v) for v in ours[k]])
        logs.append(f'log {k}: z {abs(lo - lr) / slr:.3f} sd ratio {slo / slr:.3f}')
if halves:
    first = [c <= 5 for c in ref['chain__']]
    for k in ref:
        if not k.endswith('__'):
            a = [v for v, f in zip(ref[k], first) if f]
            b = [v for v, f in zip(ref[k], first) if not f]
            logs.append(f'reference halves {k}: sd ratio {mean_sd(a)[1] / mean_sd(b)[1]:.3f}')
ok = z_max < 0.1 and abs(worst - 1) <= 0.1
print(f"{p}\t{'PASS' if ok else 'FAIL'}\t{z_max:.3f} ({z_at})\t{worst:.3f} ({worst_at})\t{summary['rhat_max']:.4f}\t"
      f"{summary['divergences']}\t{summary['wall_seconds']:.0f}" + ('\t' + '; '.join(logs) if logs else ''))
