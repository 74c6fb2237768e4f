#!/usr/bin/env python3
# Where a JFR recording of the job spends its time: execution samples by top frame, by thread and by layer (the nearest
# recognisable frame from the top of each stack, executor threads only), allocation by class and by first non-JDK frame,
# GC collections and pauses. Usage: python3 benchmarks/jfr_summary.py recording.jfr (needs the JDK's jfr tool).
import json, subprocess, sys, collections
f = sys.argv[1]
def events(kind):
    out = subprocess.run(["jfr", "print", "--json", "--events", kind, f], capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]
def frame_name(fr):
    m = fr["method"]; t = m["type"]["name"]
    return t.replace("/", ".") + "." + m["name"]
samples = events("jdk.ExecutionSample")
n = len(samples)
top = collections.Counter(); pkg = collections.Counter(); threads = collections.Counter()
for e in samples:
    st = e["values"]["stackTrace"]
    if not st or not st["frames"]: continue
    top[frame_name(st["frames"][0])] += 1
    threads[(e["values"].get("sampledThread") or {}).get("javaName", "?")] += 1
    # first frame in a "layer": classify by package of the deepest recognisable owner
    names = [frame_name(fr) for fr in st["frames"]]
    layer = "other"
    for nm in names:
        for key, label in [("org.apache.kafka", "Kafka client (fetch, decompress, records)"), ("com.fasterxml.jackson", "Jackson parsing"),
                           ("org.apache.spark.sql.catalyst.json", "Spark JSON (JacksonParser)"), ("org.rocksdb", "RocksDB state store"),
                           ("org.apache.spark.sql.execution.streaming.state", "state store (Spark side)"), ("net.jpountz.lz4", "LZ4"),
                           ("org.apache.spark.shuffle", "shuffle"), ("org.apache.spark.sql.catalyst.expressions.GeneratedClass", "generated code"),
                           ("org.postgresql", "JDBC/PostgreSQL"), ("dev.shopstream", "the job's own code")]:
            if nm.startswith(key):
                layer = label; break
        if layer != "other": break
    pkg[layer] += 1
print(f"execution samples: {n}")
print("top frames:")
for name, c in top.most_common(20):
    print(f"  {100*c/n:5.1f}%  {c:5d}  {name}")
print("first recognisable layer from the top of each stack:")
for name, c in pkg.most_common():
    print(f"  {100*c/n:5.1f}%  {c:5d}  {name}")
print("threads:")
for name, c in threads.most_common(8):
    print(f"  {100*c/n:5.1f}%  {c:5d}  {name}")
ex = [e for e in samples if (e["values"].get("sampledThread") or {}).get("javaName", "").startswith("Executor task launch")]
print(f"executor task threads (the batch's per-record work): {len(ex)} samples")
t2 = collections.Counter(); lay = collections.Counter()
LAYERS = [("java.util.zip", "class loading (jar reads)"), ("java.lang.ClassLoader", "class loading"), ("jdk.internal.loader", "class loading"),
          ("org.apache.kafka", "Kafka client: fetch, decompress, records"), ("net.jpountz", "LZ4 decompression"),
          ("org.apache.spark.sql.catalyst.json", "Spark's JSON parser (JacksonParser)"), ("com.fasterxml.jackson", "Jackson"),
          ("dev.shopstream", "the job's own code (parser function, contract checks)"), ("java.util.regex", "regular expressions"),
          ("org.apache.spark.sql.catalyst.util.SparkDateTimeUtils", "time parsing"), ("java.time", "time parsing"),
          ("org.rocksdb", "RocksDB"), ("org.apache.spark.sql.execution.streaming", "streaming state (transformWithState)"),
          ("org.apache.spark.util.collection", "sort / spill"), ("org.apache.spark.shuffle", "shuffle write/read"),
          ("org.apache.spark.unsafe", "UnsafeRow / UTF8String copies"),
          ("org.apache.spark.sql.catalyst.expressions", "generated code and expressions"), ("org.apache.spark", "other Spark")]
for e in ex:
    fr = [frame_name(f) for f in e["values"]["stackTrace"]["frames"]]
    t2[fr[0]] += 1
    label = "JDK / other"
    for nm in fr:
        hit = next((l for k, l in LAYERS if nm.startswith(k)), None)
        if hit: label = hit; break
    lay[label] += 1
for name, c in t2.most_common(15):
    print(f"  {100*c/len(ex):5.1f}%  {c:5d}  {name}")
print("  by layer (nearest recognisable frame from the top):")
for name, c in lay.most_common():
    print(f"  {100*c/len(ex):5.1f}%  {c:5d}  {name}")
alloc = events("jdk.ObjectAllocationSample")
tot = sum(e["values"]["weight"] for e in alloc)
byclass = collections.Counter(); bytop = collections.Counter()
for e in alloc:
    v = e["values"]; w = v["weight"]
    byclass[v["objectClass"]["name"]] += w
    st = v["stackTrace"]
    if st and st["frames"]:
        # first frame outside java.* / jdk.* : who asked for the memory
        who = next((frame_name(fr) for fr in st["frames"] if not frame_name(fr).startswith(("java.", "jdk.", "sun.", "scala."))), frame_name(st["frames"][0]))
        bytop[who] += w
print(f"allocation (sampled weight): {tot/1e9:.2f} GB")
for name, w in byclass.most_common(8):
    print(f"  {100*w/tot:5.1f}%  {w/1e9:6.2f} GB  {name}")
print("allocated by (first non-JDK frame):")
for name, w in bytop.most_common(10):
    print(f"  {100*w/tot:5.1f}%  {w/1e9:6.2f} GB  {name}")
gcs = events("jdk.GarbageCollection")
def dur(d):  # ISO-8601 duration like "PT0.012S" or number
    if isinstance(d, (int, float)): return d/1e9
    d = d.replace("PT", "").replace("S", "")
    if "M" in d:
        m, s = d.split("M"); return float(m)*60 + (float(s) if s else 0)
    return float(d) if d else 0.0
by = collections.defaultdict(lambda: [0, 0.0])
for e in gcs:
    v = e["values"]; by[v["name"]][0] += 1; by[v["name"]][1] += dur(v["sumOfPauses"])
print("GC:")
for name, (c, s) in by.items():
    print(f"  {name}: {c} collections, pauses {s:.2f} s")
