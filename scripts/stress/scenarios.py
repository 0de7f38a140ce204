"""Section `scenarios`: mutated scenario files through `entente run`.

Each case runs in its own folder `case/a/b/cwd` without `--out`, so the run's folder is
derived from the (mutated) scenario name under `cwd/out/`; anything written elsewhere
in the case folder, or at the absolute target of a `/abs` name, is an escaped path."""

import glob
import os
import re
import shutil

from common import REPO, Case, error_text, located, run_cases, snippet, tree

BASES = [
    ("tests/fixtures/scenarios/small.toml", 5),
    ("tests/fixtures/scenarios/dated.toml", 3),
    ("tests/fixtures/scenarios/levers.toml", 2),
    ("tests/fixtures/scenarios/middle-east.toml", 1),
    ("tests/fixtures/scenarios/five-mistakes.toml", 1),
    ("scenarios/nato-ip4.toml", 2),
]

KEY = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$")
NUM = re.compile(r"(?<![\w.\"-])-?\d+(\.\d+)?(e-?\d+)?(?![\w.\"])")
STATE = re.compile(r'"([A-Z]{3})"')

WRONG_TYPES = ['"text"', "[1, 2]", "{ a = 1 }", "true", "1", "[]", '""', "1979-05-27"]
BAD_NUMBERS = ["nan", "inf", "-inf", "1e308", "-1", "0", "-0.0", "99999999999999999999",
               "1e-320", "4294967296", "18446744073709551615", "-9223372036854775808"]
BAD_STATES = ["ZZZ", "", "chn", "ÇHN", "USA USA", "123", "\\u0000", "../x"]
UNICODE = ["名前", "\\u202eevil", "😀", "e\\u0301", "\\u0000", "\\t\\n", "Ω" * 200]
NAMES = ["../../escaped", "/abs/path", "a/b", "..", ".", "", "~/x", "$HOME", "a\\\\b",
         "x" * 300, "CON", "-rf", ".hidden", "name\\u0000nul", "../" * 8 + "deep", "名前",
         "with space", "a:b", "./.."]


def mutations(rng, text, abs_target):
    """(description, mutated text) for one random mutation of `text`."""
    lines = text.split("\n")
    keyed = [i for i, l in enumerate(lines) if KEY.match(l) and not l.lstrip().startswith("#")]
    kind = rng.choice(["drop", "dup", "type", "number", "number", "state", "unicode", "empty",
                       "truncate", "name", "name", "name", "section", "table-dup"])
    if kind == "drop" and keyed:
        i = rng.choice(keyed)
        return f"drop line {i + 1} `{lines[i].strip()[:40]}`", "\n".join(lines[:i] + lines[i + 1:])
    if kind == "dup" and keyed:
        i = rng.choice(keyed)
        return f"duplicate line {i + 1}", "\n".join(lines[: i + 1] + [lines[i]] + lines[i + 1:])
    if kind == "type" and keyed:
        i = rng.choice(keyed)
        m = KEY.match(lines[i])
        v = rng.choice(WRONG_TYPES)
        lines[i] = f"{m.group(1)}{m.group(2)}{m.group(3)}{v}"
        return f"line {i + 1}: `{m.group(2)}` = {v}", "\n".join(lines)
    if kind == "number":
        spots = [(i, m) for i, l in enumerate(lines) if not l.lstrip().startswith("#")
                 for m in NUM.finditer(l)]
        if spots:
            i, m = rng.choice(spots)
            v = rng.choice(BAD_NUMBERS)
            lines[i] = lines[i][: m.start()] + v + lines[i][m.end():]
            return f"line {i + 1}: number {m.group(0)} -> {v}", "\n".join(lines)
    if kind == "state":
        spots = [(i, m) for i, l in enumerate(lines) for m in STATE.finditer(l)]
        if spots:
            i, m = rng.choice(spots)
            v = rng.choice(BAD_STATES)
            lines[i] = lines[i][: m.start()] + f'"{v}"' + lines[i][m.end():]
            return f"line {i + 1}: state {m.group(1)} -> {v!r}", "\n".join(lines)
    if kind == "unicode":
        spots = [i for i, l in enumerate(lines) if '= "' in l]
        if spots:
            i = rng.choice(spots)
            v = rng.choice(UNICODE)
            lines[i] = lines[i].replace('= "', f'= "{v}', 1)
            return f"line {i + 1}: unicode {v[:12]!r} in a string", "\n".join(lines)
    if kind == "empty":
        return rng.choice([("empty file", ""), ("comments only", "# nothing\n"),
                           ("whitespace", " \n\t\n")])
    if kind == "truncate":
        raw = text.encode()
        cut = rng.randrange(1, len(raw))
        return f"truncated at byte {cut}", raw[:cut].decode("utf-8", "replace")
    if kind == "section":
        heads = [i for i, l in enumerate(lines) if l.startswith("[")]
        i = rng.choice(heads)
        j = next((k for k in heads if k > i), len(lines))
        return f"drop section `{lines[i]}`", "\n".join(lines[:i] + lines[j:])
    if kind == "table-dup":
        heads = [i for i, l in enumerate(lines) if l.startswith("[") and not l.startswith("[[")]
        if heads:
            i = rng.choice(heads)
            return f"duplicate table `{lines[i]}`", text + f"\n{lines[i]}\n"
    # The scenario name, path-like or odd (the default case when a mutation did not apply).
    v = rng.choice(NAMES + ["ABS"])
    if v == "ABS":
        v = abs_target
    out = re.sub(r'(?m)^name\s*=\s*".*"$', lambda _: f'name = "{v}"', text, count=1)
    return f"name = {v!r}", out


def make_cases(ctx, rng, n):
    weighted = [b for b, w in BASES for _ in range(w)]
    texts = {b: open(os.path.join(REPO, b), encoding="utf-8").read() for b, _ in BASES}
    cases = []
    for k in range(n):
        base = rng.choice(weighted)
        cid = f"scenarios/{k:03d}"
        abs_target = os.path.join(ctx.out, "scenarios-abs", f"escaped-{k:03d}")
        desc, text = mutations(rng, texts[base], abs_target)
        fname = "input.toml"
        # Every third case is a full run (all outputs written); the others one draw of a
        # shard part, which validates, prepares and names the folder the same way, cheaper.
        argv = ["run", os.path.join("..", "..", "..", fname), "--draws", "2", "--threads", "1",
                "--quiet"]
        if k % 3:
            argv += ["--shard", "0/999"]
        cases.append(Case(cid, f"{os.path.basename(base)}: {desc}", argv,
                          files={fname: text.encode("utf-8", "surrogatepass")}, timeout=90,
                          check=check_for(abs_target), cwd_rel="a/b/cwd"))
    return cases


def check_for(abs_target):
    def check(case, res, before):
        found, notes = [], []
        allowed = os.path.join("a", "b", "cwd", "out")
        after = tree(case.dir)
        escaped = sorted(p for p in after - before
                         if p != allowed and not p.startswith(allowed + os.sep))
        if escaped:
            found.append(("escaped-path", f"wrote outside cwd/out: {', '.join(escaped[:5])}"))
        if os.path.exists(abs_target):
            found.append(("escaped-path", f"wrote the absolute path {abs_target}"))
        if res.rc == 1 and not res.timed_out:
            err = error_text(res.err)
            if not located(err, ["input.toml"]):
                found.append(("unlocated", f"error names no file: {snippet(err)}"))
        if res.rc == 0:
            outs = os.path.join(case.cwd, "out")
            folders = [d for d in os.listdir(outs) if os.path.isdir(os.path.join(outs, d))] \
                if os.path.isdir(outs) else []
            if len(folders) != 1:
                found.append(("folder", f"{len(folders)} run folders under out/: {folders}"))
            else:
                # The folder without its run id (time and random part), so notes repeat.
                notes.append(f"accepted ({case.desc}) -> out/{folders[0][:-26][:60]}-<run id>")
        return found, notes

    return check


def run(ctx, sec, rng, n=60):
    shutil.rmtree(os.path.join(ctx.out, "scenarios-abs"), ignore_errors=True)
    run_cases(ctx, sec, make_cases(ctx, rng, n))
    stray = glob.glob(os.path.join(ctx.out, "scenarios-abs", "*"))
    for p in stray:
        sec.finding("scenarios", "escaped-path", f"{p} exists after the section")
