# Errors of posterior means and sds of draws against reference draws (cond-diffusion: columns u1..uD).
# Usage: python3 score.py REFERENCE.csv DRAWS.csv [DRAWS.csv ...]   (numpy only)
import sys
import numpy as np

def load(path):
    a = np.genfromtxt(path, delimiter=',', names=True)
    cols = [c for c in a.dtype.names if c.startswith('u')]
    return np.stack([a[c] for c in cols], axis=1)

ref = load(sys.argv[1])
rm, rs = ref.mean(0), ref.std(0)
for p in sys.argv[2:]:
    x = load(p)
    print(f"{p}\tmean_err {np.abs(x.mean(0) - rm).mean():.4f}\tsd_err {np.abs(x.std(0) - rs).mean():.4f}\tsd_ratio {np.mean(x.std(0) / rs):.3f}")
