# Large-N figures: least-squares slope of log(ms/iteration) on log N over N in [500, 10000], and a log-log plot.
import sys, math, collections
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
d = collections.defaultdict(list)
for t, m, n, rss, med, cpu, steps in rows: d[(t, m)].append((int(n), float(med), float(cpu), int(steps)))
def slope(pts):
    xs = [math.log(n) for n, *_ in pts]; ys = [math.log(v) for _, v in pts]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
fig, ax = plt.subplots(figsize=(6.4, 4.4))
for (t, m), pts in sorted(d.items()):
    big = [(n, med) for n, med, cpu, s in pts if n >= 500]
    print(f"{t} {m} slope {slope(big):.2f}")
    ax.loglog([p[0] for p in pts], [p[1] for p in pts], marker='o', label=f"{m} {t} (slope {slope(big):.2f})")
ax.set_xlabel('N (particles per iteration)'); ax.set_ylabel('median ms per iteration (1 thread, f32)')
ax.grid(True, which='both', alpha=0.3); ax.legend(fontsize=8); ax.set_title('KSIVI and SIVI-SM step time against N')
fig.tight_layout(); fig.savefig(sys.argv[2], dpi=110)
