#!/usr/bin/env python3
"""Run every ```sh, ```python and ```r block of README.md and docs/*.md as a reader would.

Usage: scripts/docs-recipes.py [--bin ENTENTE] [--python PY] [--root DIR] [--only FILE]...
       scripts/docs-recipes.py --self-test

Python's standard library only. scripts/docs-recipes.sh sets up what the recipes import
(pandas, pyarrow, polars, DuckDB, matplotlib, the entente package, R with RSQLite) and calls
this with the self-test first.

How a recipe runs
- All recipes run in one scratch folder laid out like the repository's root: every top-level
  entry of the root (except out/, target/ and .git) is a symlink, so `examples/...`,
  `scenarios/...` and `R` resolve, while `out/` and whatever a recipe writes stay in the scratch
  folder. HOME is a scratch folder too (`~/my-data`, `~/.local/...` stay inside it).
- Before the first recipe: a small quad-pact run and a small flagship run, both with --csv:
    entente run examples/quad-pact.toml --draws 2 --seed 1 --csv
    entente run --draws 2 --seed 1 --csv
  so out/quad-pact-<id>/, out/nato-ip4-<id>/ and out/entente.sqlite exist as after the
  README's commands.
- PATH starts with the folder of the `entente` binary (--bin), then the Python's folder
  (--python, the virtual environment's bin/), so `entente`, `python` and `pip` are those.
  MPLBACKEND=Agg (plots draw into nothing), MANPAGER=PAGER=cat (no pager waits).
- sh: each logical line (backslash continuations joined; blank and comment-only lines
  dropped) runs alone under `bash -o pipefail -c`, with a timeout; its file:line is its own.
- python, r: the blocks of one file run in order in one interpreter per file and language
  (a later block uses what an earlier one defined, as in the docs), each block reported at
  its fence's file:line. R blocks are sourced with print.eval, so printing is exercised.
- The rule applied to every sh line (so the docs can show the real commands): each
  `entente run` and `entente hindcast` runs with `--draws 2` (rounded up to 2 base samples),
  inserted after the subcommand when no size is given, the number of `--draws` or
  `--base-samples` replaced by 2 when present (the flagship's own sample
  takes many minutes on the debug build, and the recipes check that commands run, not values).

Markers: HTML comments on the lines right before a block's fence (invisible on GitHub),
one per line, any number:
    <!-- recipe: skip: REASON -->                  the block does not run; REASON is listed
    <!-- recipe: skip-line "TEXT": REASON -->      sh: lines containing TEXT do not run
    <!-- recipe: sub "OLD" "NEW" -->               replace OLD with NEW in the block first
    <!-- recipe: env NAME=VALUE -->                environment for the block
    <!-- recipe: setup: COMMAND -->                sh COMMAND runs (in the scratch folder) first

Exit status 1 if any recipe fails; each failure prints file:line, the command and its stderr.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), ".."))
LANGS = ("sh", "python", "r")
TIMEOUT = 600  # seconds per sh line or interpreter block; a hung recipe fails, not CI
MARKER = re.compile(r"^<!--\s*recipe:\s*(.*?)\s*-->\s*$")
DRAWS_RULE = re.compile(r"\bentente (run|hindcast)\b")


class Block:
    def __init__(self, path, line, lang, code, markers):
        self.path = path  # relative to the root, as reported
        self.line = line  # 1-based line of the opening fence
        self.lang = lang
        self.code = code
        self.skip = None
        self.skip_lines = []  # (text, reason)
        self.env = {}
        self.setup = []
        for m in markers:
            self.apply_marker(m)

    def where(self, offset=None):
        return f"{self.path}:{self.line if offset is None else self.line + offset}"

    def apply_marker(self, m):
        if m.startswith("skip:"):
            self.skip = m[len("skip:") :].strip()
        elif m.startswith("skip-line"):
            got = re.match(r'skip-line\s+"([^"]+)"\s*:\s*(.+)$', m)
            if not got:
                raise SystemExit(f"{self.where()}: bad marker `{m}`")
            self.skip_lines.append((got.group(1), got.group(2)))
        elif m.startswith("sub"):
            got = re.match(r'sub\s+"((?:[^"\\]|\\.)*)"\s+"((?:[^"\\]|\\.)*)"$', m)
            if not got:
                raise SystemExit(f"{self.where()}: bad marker `{m}`")
            old, new = (s.replace('\\"', '"') for s in got.groups())
            if old not in self.code:
                raise SystemExit(f"{self.where()}: sub marker's `{old}` is not in the block")
            self.code = self.code.replace(old, new)
        elif m.startswith("env"):
            name, _, value = m[len("env") :].strip().partition("=")
            self.env[name] = value
        elif m.startswith("setup:"):
            self.setup.append(m[len("setup:") :].strip())
        else:
            raise SystemExit(f"{self.where()}: unknown marker `{m}`")


def markdown_files(root):
    docs = os.path.join(root, "docs")
    names = sorted(n for n in os.listdir(docs) if n.endswith(".md"))
    return ["README.md"] + [os.path.join("docs", n) for n in names]


def extract(root, rel):
    """The sh/python/r blocks of one Markdown file, with the markers right before each."""
    lines = open(os.path.join(root, rel), encoding="utf-8").read().split("\n")
    blocks, i = [], 0
    while i < len(lines):
        fence = re.match(r"^```(\w*)\s*$", lines[i])
        if not fence:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        if fence.group(1) in LANGS:
            markers, k = [], i - 1
            while k >= 0 and MARKER.match(lines[k]):
                markers.insert(0, MARKER.match(lines[k]).group(1))
                k -= 1
            blocks.append(Block(rel, i + 1, fence.group(1), "\n".join(lines[i + 1 : j]), markers))
        i = j + 1
    return blocks


def sh_commands(block):
    """(offset from the fence, command) for each logical line of an sh block."""
    out, pending, start = [], "", None
    for n, raw in enumerate(block.code.split("\n"), start=1):
        if start is None:
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            start = n
        if raw.endswith("\\"):
            pending += raw[:-1] + " "
            continue
        out.append((start, pending + raw))
        pending, start = "", None
    if start is not None:
        out.append((start, pending))
    return out


def with_rules(cmd):
    """Each `entente run`/`entente hindcast` gets the smallest design: `--draws 2` (rounded up
    to 2 base samples) inserted after the subcommand when the command sets no size, the number
    replaced by 2 when it gives `--draws` or `--base-samples`."""
    parts = re.split(r"(&&|\|\||;|\||\bdo\b|\bdone\b)", cmd)
    for i, part in enumerate(parts):
        m = DRAWS_RULE.search(part)
        if not m:
            continue
        if re.search(r"--(draws|base-samples)[ =]\d+", part):
            parts[i] = re.sub(r"--(draws|base-samples)[ =]\d+", r"--\1 2", part)
        else:
            parts[i] = part[: m.end()] + " --draws 2" + part[m.end() :]
    return "".join(parts)


def scratch_layout(root, base, name="work"):
    work = os.path.join(base, name)
    os.makedirs(work)
    for name in os.listdir(root):
        if name not in ("out", "target", ".git"):
            os.symlink(os.path.join(root, name), os.path.join(work, name))
    os.makedirs(os.path.join(base, "home"), exist_ok=True)
    os.makedirs(os.path.join(base, "rlib"), exist_ok=True)
    return work


def run_env(args, base):
    env = dict(os.environ)
    bins = [os.path.dirname(os.path.realpath(args.bin))]
    if args.python:
        bins.append(os.path.dirname(os.path.abspath(args.python)))
    env["PATH"] = os.pathsep.join(bins + [env.get("PATH", "")])
    env["HOME"] = os.path.join(base, "home")
    env["R_LIBS"] = os.path.join(base, "rlib")
    env["MPLBACKEND"] = "Agg"
    env["MANPAGER"] = env["PAGER"] = "cat"
    env.pop("ENTENTE_STORE", None)
    env.pop("ENTENTE_DATA_DIR", None)
    return env


PY_DRIVER = r"""
import contextlib, io, json, sys, traceback
ns = {"__name__": "__main__"}
for req in sys.stdin:
    req = json.loads(req)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            exec(compile(req["code"], req["where"], "exec"), ns)
        res = {"ok": True}
    except BaseException:
        res = {"ok": False, "error": traceback.format_exc()}
    res["output"] = out.getvalue()[-4000:]
    print(json.dumps(res), flush=True)
"""

R_DRIVER = r"""
con <- file("stdin"); open(con)
env <- new.env(parent = globalenv())
repeat {
  p <- readLines(con, n = 1)
  if (!length(p)) break
  out <- character()
  res <- tryCatch({
    out <- capture.output(source(p, local = env, echo = FALSE, print.eval = TRUE), type = "output")
    "ok"
  }, error = function(e) paste0("error: ", conditionMessage(e), "\n", paste(deparse(conditionCall(e)), collapse = "\n")))
  cat(gsub("\n", "\\\\n", res), "\n", sep = "")
  flush(stdout())
}
"""


class Interpreter:
    """One Python or R process for the blocks of one file, fed one block at a time."""

    def __init__(self, lang, python, env, cwd, tmp):
        self.lang, self.tmp, self.n = lang, tmp, 0
        if lang == "python":
            cmd = [python, "-u", "-c", PY_DRIVER]
        else:
            driver = os.path.join(tmp, "driver.R")
            with open(driver, "w") as f:
                f.write(R_DRIVER)
            cmd = ["Rscript", "--vanilla", driver]
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )

    def run(self, block):
        """(ok, error text) for one block."""
        if self.lang == "python":
            req = json.dumps({"code": block.code, "where": block.where()})
        else:
            self.n += 1
            req = os.path.join(self.tmp, f"block{self.n}.R")
            with open(req, "w") as f:
                f.write(block.code + "\n")
        try:
            self.proc.stdin.write(req + "\n")
            self.proc.stdin.flush()
            reply = self.proc.stdout.readline()
        except BrokenPipeError:
            reply = ""
        if not reply:
            self.proc.kill()
            return False, "the interpreter died:\n" + self.proc.stderr.read()[-4000:]
        if self.lang == "python":
            res = json.loads(reply)
            return res["ok"], res.get("error", "") + res["output"]
        reply = reply.rstrip("\n").replace("\\n", "\n")
        return reply == "ok", reply

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def sh(cmd, cwd, env):
    try:
        p = subprocess.run(
            ["bash", "-o", "pipefail", "-c", cmd], cwd=cwd, env=env, capture_output=True,
            text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL,
        )
        return p.returncode == 0, f"exit status {p.returncode}\n{p.stderr[-4000:]}"
    except subprocess.TimeoutExpired:
        return False, f"no end after {TIMEOUT} s"


def prepare(args, base):
    """The scratch folder with the two small runs in its out/; (work, env) or a failure."""
    work = scratch_layout(args.root, base)
    env = run_env(args, base)
    t0 = time.time()
    for prep in PREPARED:
        ok, err = sh(prep, work, env)
        if not ok:
            return None, None, ("(prepared run)", prep, err)
    print(f"docs-recipes: prepared runs in {time.time() - t0:.0f} s", flush=True)
    return work, env, None


PREPARED = (
    "entente run examples/quad-pact.toml --draws 2 --seed 1 --csv --quiet",
    "entente run --draws 2 --seed 1 --csv --quiet",
)


def check(blocks, work, env, base, python, select=None):
    """Run the blocks in the scratch folder; returns (failures, ran, skipped) as lists.

    select(block, command), when given, picks the sh lines and other blocks to run (the
    self-test runs only the ones it broke)."""
    failures, ran, skipped = [], [], []
    interps = {}
    for b in blocks:
        if b.skip:
            skipped.append((b.where(), b.skip))
            continue
        if select and b.lang != "sh" and not select(b, None):
            continue
        benv = dict(env, **b.env)
        for s in b.setup:
            ok, err = sh(s, work, benv)
            if not ok:
                failures.append((b.where(), s, err))
        if b.lang == "sh":
            for off, cmd in sh_commands(b):
                if select and not select(b, cmd):
                    continue
                hit = [r for text, r in b.skip_lines if text in cmd]
                if hit:
                    skipped.append((b.where(off), f"`{cmd.strip()}`: {hit[0]}"))
                    continue
                cmd = with_rules(cmd)
                t = time.time()
                ok, err = sh(cmd, work, benv)
                ran.append((b.where(off), cmd, time.time() - t))
                progress(ran[-1], ok)
                if not ok:
                    failures.append((b.where(off), cmd, err))
            continue
        key = (b.path, b.lang)
        if key not in interps:
            tmp = tempfile.mkdtemp(prefix="interp-", dir=base)
            interps[key] = Interpreter(b.lang, python, benv, work, tmp)
        t = time.time()
        ok, err = interps[key].run(b)
        ran.append((b.where(), f"{b.lang} block", time.time() - t))
        progress(ran[-1], ok)
        if not ok:
            failures.append((b.where(), b.code, err))
    for i in interps.values():
        i.close()
    return failures, ran, skipped


def progress(ran, ok):
    where, cmd, secs = ran
    status = "ok  " if ok else "FAIL"
    print(f"  {status} {where:26} {secs:6.1f} s  {cmd.splitlines()[0][:90]}", flush=True)


def report(failures, ran, skipped, verbose=True):
    if verbose:
        for where, reason in skipped:
            print(f"  skip {where:28} {reason}")
    for where, cmd, err in failures:
        print(f"\nFAILED {where}\n  command:\n    " + cmd.replace("\n", "\n    "), file=sys.stderr)
        print("  stderr:\n    " + err.strip().replace("\n", "\n    "), file=sys.stderr)
    print(
        f"docs-recipes: {len(ran)} recipes run, {len(skipped)} skipped, {len(failures)} failed",
        flush=True,
    )


def all_blocks(root, only=None):
    blocks = []
    for rel in only or markdown_files(root):
        blocks += extract(root, rel)
    return blocks


def self_test(args, base, work, env):
    """Break one python and one sh recipe in a copy of the docs; the check must name both.

    The copy's scratch folder gets a copy of the prepared runs (out/), so they run once."""
    root = os.path.join(base, "broken")
    os.makedirs(os.path.join(root, "docs"))
    for name in os.listdir(args.root):
        if name not in ("README.md", "docs", "out", "target", ".git"):
            os.symlink(os.path.join(args.root, name), os.path.join(root, name))
    for name in os.listdir(os.path.join(args.root, "docs")):
        src = os.path.join(args.root, "docs", name)
        if name.endswith(".md"):
            shutil.copy(src, os.path.join(root, "docs", name))
        else:
            os.symlink(src, os.path.join(root, "docs", name))
    shutil.copy(os.path.join(args.root, "README.md"), root)

    def breaks(rel, good, bad):
        path = os.path.join(root, rel)
        text = open(path, encoding="utf-8").read()
        if good not in text:
            raise SystemExit(f"self-test: {rel} no longer has `{good}`; update the self-test")
        text = text.replace(good, bad, 1)
        open(path, "w", encoding="utf-8").write(text)
        return text.split("\n")

    lines = breaks("docs/outputs.md", '(d.metric == "milex_', '(d.metrik == "milex_')
    py_fence = [b.line for b in extract(root, "docs/outputs.md") if "d.metrik" in b.code]
    lines = breaks("README.md", "entente bdm examples/bdm-actors.csv", "entente bdm examples/no-such.csv")
    sh_line = next(i + 1 for i, line in enumerate(lines) if "no-such.csv" in line)
    want = {f"docs/outputs.md:{py_fence[0]}", f"README.md:{sh_line}"}

    broken_work = scratch_layout(root, base, "broken-work")
    shutil.copytree(os.path.join(work, "out"), os.path.join(broken_work, "out"))
    # Only what was broken, and the pandas block's neighbour (which must still pass).
    def select(b, cmd):
        return "no-such" in cmd if b.lang == "sh" else b.path == "docs/outputs.md"

    blocks = all_blocks(root, ["README.md", "docs/outputs.md"])
    failures, ran, skipped = check(blocks, broken_work, env, base, args.python, select)
    where = {f[0] for f in failures}
    errs = "\n".join(f[2] for f in failures)
    problems = []
    if want - where:
        problems.append(f"not reported: {sorted(want - where)} (reported: {sorted(where)})")
    if where - want:
        problems.append(f"unbroken recipes failed too: {sorted(where - want)}")
    if "metrik" not in errs:
        problems.append("the python failure's stderr does not name `metrik`")
    if "no-such.csv" not in errs:
        problems.append("the sh failure's stderr does not name the missing file")
    if len(ran) < 3:
        problems.append(f"only {len(ran)} recipes ran")
    if problems:
        report(failures, ran, skipped)
        print("docs-recipes self-test FAILED: " + "; ".join(problems), file=sys.stderr)
        return False
    print(f"docs-recipes self-test: both broken recipes reported ({', '.join(sorted(want))})")
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "debug", "entente"))
    ap.add_argument("--python", default=sys.executable, help="the Python for python recipes")
    ap.add_argument("--root", default=ROOT)
    ap.add_argument("--only", action="append", help="a Markdown file (relative to --root)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    ap.add_argument(
        "--self-test", action="store_true",
        help="first break one python and one sh recipe in a copy and check both are reported",
    )
    args = ap.parse_args()
    args.root = os.path.realpath(args.root)
    args.python = os.path.abspath(args.python)
    if not os.access(args.bin, os.X_OK):
        print(f"docs-recipes: no entente binary at {args.bin}", file=sys.stderr)
        return 1
    blocks = all_blocks(args.root, args.only)  # markers are checked before anything runs
    base = tempfile.mkdtemp(prefix="docs-recipes-")
    t0 = time.time()
    try:
        work, env, failed = prepare(args, base)
        if failed:
            report([failed], [], [])
            return 1
        if args.self_test and not self_test(args, base, work, env):
            return 1
        failures, ran, skipped = check(blocks, work, env, base, args.python)
        report(failures, ran, skipped)
        print(f"docs-recipes: {time.time() - t0:.0f} s in all")
        return 1 if failures else 0
    finally:
        if args.keep:
            print(f"docs-recipes: kept {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
