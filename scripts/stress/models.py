"""Section `models`: the model commands that read files (maxcut, landscape, bdm, smp),
with mutated files and hostile arguments. A finding: a panic, signal or hang, an error
(exit 1) that names neither the file nor the flag, or a write outside the case folder."""

import glob
import os
import subprocess

from common import REPO, Case, error_text, located, run_cases, snippet, tree
from mutate import mutate_table

FIX = os.path.join(REPO, "tests", "fixtures")
SECS = ["0", "-1", "nan", "inf", "1e20", "1e-9", "18446744073709551616", "x"]


def read(p):
    with open(p, "rb") as f:
        return f.read()


def small_graph(rng, n):
    edges = set()
    while len(edges) < 2 * n:
        a, b = rng.randrange(1, n + 1), rng.randrange(1, n + 1)
        if a != b:
            edges.add((min(a, b), max(a, b)))
    body = "".join(f"{a} {b} {rng.choice([1, -1, 2])}\n" for a, b in sorted(edges))
    return f"{n} {len(edges)}\n{body}".encode()


def synthetic_landscape(rng, n):
    names = [f"A{i}" for i in range(n)]
    actors = "actor,size\n" + "".join(f"{a},{rng.randint(1, 20)}\n" for a in names)
    head = "," + ",".join(names)
    rows = [head]
    for i, a in enumerate(names):
        cells = ["" if i == j else str(rng.randint(-2, 2)) for j in range(n)]
        rows.append(a + "," + ",".join(cells))
    return actors.encode(), ("\n".join(rows) + "\n").encode()


def check_located(names):
    """A flag counts as named by itself or its bare word (`--moves`, `moves`); a path-like
    value or an --out target by itself."""
    names = list(names) + [n.lstrip("-") for n in names if n.startswith("--")]

    def check(case, res, before):
        names.extend(a for a in case.argv if "/" in a)
        names.extend(v for f, v in zip(case.argv, case.argv[1:]) if f == "--out")
        found = []
        after = tree(case.dir)
        new = sorted(p for p in after - before if not p.startswith("out"))
        if new:
            found.append(("escaped-path", f"wrote outside the case's out/: {new[:5]}"))
        if res.rc == 1 and not res.timed_out:
            err = error_text(res.err)
            if not located(err, names):
                found.append(("unlocated", f"error names neither {names}: {snippet(err)}"))
        return found, []

    return check


def maxcut_cases(rng, n, base_id):
    graphs = {"G1.txt": read(os.path.join(FIX, "maxcut", "G1.txt")),
              "tiny.txt": small_graph(rng, 12)}
    cases = []
    for k in range(n):
        gname = rng.choice(list(graphs))
        raw = graphs[gname]
        args = ["--time-limit", "0.05", "--restarts", "1"]
        flags = []
        r = rng.random()
        if r < 0.55:
            desc, data = mutate_table(rng, raw, sep=None, header=False,
                                      kinds=["cell", "cell", "drop", "dup", "empty", "truncate",
                                             "cut-line", "extra-col", "crlf", "bom", "header"])
            if desc == "unchanged copy":
                h = rng.choice(["1000000000000 1", "0 0", "-5 3", "3 1000000000000", "2 1",
                                "18446744073709551616 1", "4294967297 0", "nan 1", "1 1"])
                lines = raw.decode().splitlines()
                data = ("\n".join([h] + lines[1:]) + "\n").encode()
                desc = f"header {h!r}"
        elif r < 0.85:
            data = raw
            flag = rng.choice(["--time-limit", "--restarts", "--moves", "--target", "--seed"])
            v = {"--time-limit": SECS,
                 "--restarts": ["0", "1000", "-1", "18446744073709551616", "100000"],
                 "--moves": ["0", "1", "18446744073709551615", "-1"],
                 "--target": ["nan", "inf", "-inf", "1e300", "-1e300", "0"],
                 "--seed": ["-1", "18446744073709551616", "0"]}[flag]
            val = rng.choice(v)
            args = [a for a in args]
            if flag in args:
                i = args.index(flag)
                args[i + 1] = val
            else:
                args += [flag, val]
            flags = [flag]
            desc = f"{flag} {val}"
        else:
            data = raw
            args += ["--out", rng.choice(["out/p.txt", "out/missing/dir/p.txt", "out"])]
            desc = f"--out {args[-1]}"
        cid = f"models/{base_id + k:03d}"
        cases.append(Case(cid, f"maxcut {gname}: {desc}", ["maxcut", gname] + args,
                          files={gname: data, "out/.keep": b""}, timeout=20,
                          check=check_located([gname] + flags)))
    return cases


def landscape_cases(rng, n, base_id):
    d = os.path.join(FIX, "landscape", "furnas_syria_2016")
    actors, prop = read(os.path.join(d, "actors.csv")), read(os.path.join(d, "propensity_feb20.csv"))
    cases = []
    for k in range(n):
        a, p = actors, prop
        args = []
        flags = []
        r = rng.random()
        if r < 0.25:
            desc, a = mutate_table(rng, actors)
            desc = "actors.csv " + desc
        elif r < 0.5:
            desc, p = mutate_table(rng, prop)
            desc = "propensity.csv " + desc
        elif r < 0.85:
            flag = rng.choice(["--coalitions", "--neutral-cost", "--time-limit", "--restarts",
                               "--moves", "--mode"])
            val = rng.choice({"--coalitions": ["0", "1", "3", "11", "12", "100", "4294967296",
                                               "-1"],
                              "--neutral-cost": ["nan", "inf", "-1", "1e300", "0"],
                              "--time-limit": SECS,
                              "--restarts": ["0", "1", "100000"],
                              "--moves": ["0", "1", "18446744073709551615"],
                              "--mode": ["heuristic", "exact", "bogus"]}[flag])
            args = [flag, val]
            if flag in ("--time-limit", "--restarts", "--moves"):
                args = ["--mode", "heuristic"] + args
            if flag != "--time-limit":
                args += ["--time-limit", "0.1"] if "heuristic" in args else []
            flags = [flag] + (["states"] if flag == "--coalitions" else [])
            desc = " ".join(args)
        else:
            # Exact mode enumerates up to its documented cap (34 actors with 2 coalitions:
            # minutes by design); beyond it must refuse, so sizes skip the long stretch.
            size = rng.choice([14, 18, 40, 64, 200])
            a, p = synthetic_landscape(rng, size)
            mode = "exact" if size <= 18 or rng.random() < 0.5 else "heuristic"
            args = ["--mode", mode] + (["--time-limit", "0.1"] if mode == "heuristic" else [])
            desc = f"{size} synthetic actors, {mode}"
            flags = ["exact mode"]
        if rng.random() < 0.3:
            args += ["--format", "json"]
        cid = f"models/{base_id + k:03d}"
        cases.append(Case(cid, f"landscape: {desc}",
                          ["landscape", "--actors", "actors.csv", "--propensity", "propensity.csv"]
                          + args, files={"actors.csv": a, "propensity.csv": p}, timeout=20,
                          check=check_located(["actors.csv", "propensity.csv"] + flags)))
    return cases


def bdm_cases(rng, n, base_id):
    inputs = sorted(glob.glob(os.path.join(FIX, "bdm", "inputs", "*.csv")))
    cases = []
    for k in range(n):
        src = rng.choice(inputs)
        raw = read(src)
        args, flags = [], []
        r = rng.random()
        if r < 0.7:
            desc, raw = mutate_table(rng, raw)
        else:
            flag = rng.choice(["--rounds", "--out"])
            val = rng.choice({"--rounds": ["0", "1", "10000", "-1", "18446744073709551616"],
                              "--out": ["out/r", "out/a/b/c", "out/input.csv"]}[flag])
            args, flags, desc = [flag, val], [flag], f"{flag} {val}"
        for extra in ("--capitulation", "--per-pair-denominator", "--stop-on-cycle"):
            if rng.random() < 0.2:
                args.append(extra)
        cid = f"models/{base_id + k:03d}"
        cases.append(Case(cid, f"bdm {os.path.basename(src)}: {desc}", ["bdm", "input.csv"] + args,
                          files={"input.csv": raw, "out/.keep": b""}, timeout=20,
                          check=check_located(["input.csv"] + flags)))
    return cases


def smp_cases(ctx, rng, n, base_id):
    csvs = sorted(glob.glob(os.path.join(FIX, "ktab", "inputs", "*.csv")))
    csvs.append(os.path.join(REPO, "examples", "smp-scenario.csv"))
    tomls = {}
    for src in csvs[:3]:
        p = subprocess.run([ctx.bin, "smp", "--convert", src], capture_output=True, timeout=60)
        if p.returncode == 0:
            tomls[os.path.basename(src)] = p.stdout
    cases = []
    for k in range(n):
        use_toml = tomls and rng.random() < 0.35
        if use_toml:
            src = rng.choice(sorted(tomls))
            raw, fname = tomls[src], "input.toml"
        else:
            src = rng.choice(csvs)
            raw, fname = read(src), "input.csv"
            src = os.path.basename(src)
        args, flags = [], []
        r = rng.random()
        if r < 0.7:
            if use_toml:
                from scenarios import mutations

                desc, text = mutations(rng, raw.decode(), "/nonexistent")
                raw = text.encode("utf-8", "surrogatepass")
            elif rng.random() < 0.25:
                lines = raw.decode("utf-8", "replace").splitlines()
                head = lines[0].split(",")
                j = rng.choice([2, 3])
                if len(head) > j:
                    v = rng.choice(["1000000000", "0", "-1", "nan", "18446744073709551616"])
                    head[j] = v
                    lines[0] = ",".join(head)
                    desc = f"header field {j + 1} -> {v}"
                else:
                    desc = "unchanged"
                raw = ("\n".join(lines) + "\n").encode()
            else:
                desc, raw = mutate_table(rng, raw)
        else:
            flag = rng.choice(["--max-turns", "--stochastic-seed", "--out", "--convert"])
            val = rng.choice({"--max-turns": ["0", "1", "100000", "-1"],
                              "--stochastic-seed": ["0", "18446744073709551615", "-1"],
                              "--out": ["out/o", "out/x/y"],
                              "--convert": [None]}[flag])
            args = [flag] + ([val] if val is not None else [])
            flags, desc = [flag], " ".join(args)
        cid = f"models/{base_id + k:03d}"
        cases.append(Case(cid, f"smp {src} as {fname}: {desc}", ["smp", fname] + args,
                          files={fname: raw, "out/.keep": b""}, timeout=40,
                          check=check_located([fname] + flags)))
    return cases


def run(ctx, sec, rng, n=280):
    cases = maxcut_cases(rng, n * 25 // 100, 0)
    cases += landscape_cases(rng, n * 25 // 100, len(cases))
    cases += bdm_cases(rng, n * 25 // 100, len(cases))
    cases += smp_cases(ctx, rng, n - len(cases), len(cases))
    run_cases(ctx, sec, cases)
