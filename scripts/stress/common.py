"""Shared machinery of the stress suite: cases, running them in parallel under a
deadline, the checks every CLI case gets, and reproducers for findings."""

import os
import shlex
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class Ctx:
    """What every section gets: the binary, the seed, where to write, the deadline."""

    def __init__(self, bin_path, seed, out_dir, deadline, jobs, slow_bound):
        self.bin = bin_path
        self.seed = seed
        self.out = out_dir
        self.deadline = deadline
        self.jobs = jobs
        self.slow_bound = slow_bound

    def left(self):
        return self.deadline - time.monotonic()


class Case:
    """One CLI invocation: `argv` (after the binary) run in `cwd` with `timeout`.

    `files` maps paths relative to the case folder to bytes written before the run;
    `check(case, res)` returns extra (kind, message) findings and notes."""

    def __init__(self, cid, desc, argv, files=None, timeout=30.0, check=None, cwd_rel=""):
        self.cid = cid
        self.desc = desc
        self.argv = argv
        self.files = files or {}
        self.timeout = timeout
        self.check = check
        self.cwd_rel = cwd_rel
        self.dir = None  # set when run

    @property
    def cwd(self):
        return os.path.join(self.dir, self.cwd_rel) if self.cwd_rel else self.dir


class Result:
    def __init__(self, rc, out, err, secs, timed_out):
        self.rc = rc
        self.out = out
        self.err = err
        self.secs = secs
        self.timed_out = timed_out


class Section:
    """Findings and notes of one section, each finding with its reproducer folder."""

    def __init__(self, name):
        self.name = name
        self.cases = 0
        self.skipped = 0
        self.findings = []  # (case id, kind, message, reproducer folder)
        self.notes = []  # (case id, message)
        self.secs = 0.0

    def finding(self, cid, kind, msg, repro=None):
        self.findings.append((cid, kind, msg, repro))

    def note(self, cid, msg):
        self.notes.append((cid, msg))


def run_argv(bin_path, argv, cwd, timeout, env=None):
    """Run the binary in its own process group (a hang is killed with its children)."""
    t0 = time.monotonic()
    p = subprocess.Popen(
        [bin_path] + argv,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=env,
    )
    try:
        out, err = p.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        timed_out = True
    return Result(
        p.returncode,
        out.decode("utf-8", "replace"),
        err.decode("utf-8", "replace"),
        time.monotonic() - t0,
        timed_out,
    )


def basic_findings(res):
    """What is wrong with any invocation, whatever it was asked: a signal, a panic, a hang."""
    found = []
    if res.timed_out:
        found.append(("hang", f"no exit within the {res.secs:.0f} s bound"))
    elif res.rc < 0:
        try:
            name = signal.Signals(-res.rc).name
        except ValueError:
            name = "unknown"
        found.append(("signal", f"killed by signal {-res.rc} ({name})"))
    if "panicked at" in res.err or (res.rc == 101 and not res.timed_out):
        line = next((l for l in res.err.splitlines() if "panicked" in l), res.err[-300:])
        found.append(("panic", line.strip()))
    if "memory allocation of" in res.err:
        found.append(("abort", "memory allocation failed"))
    return found


def tree(root):
    """Every file and folder under `root`, relative, as a set."""
    seen = set()
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            seen.add(os.path.relpath(os.path.join(d, n), root))
    return seen


def write_files(base, files):
    for rel, data in files.items():
        p = os.path.join(base, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)


def write_repro(case, bin_path, extra=""):
    """A script that replays the case from its saved folder."""
    cmd = " ".join(shlex.quote(a) for a in [bin_path] + case.argv)
    rel = case.cwd_rel or "."
    text = (
        "#!/usr/bin/env bash\n"
        f"# {case.cid}: {case.desc}\n"
        f"{extra}"
        f'cd "$(dirname "$0")/{rel}"\n'
        f"{cmd}\n"
    )
    p = os.path.join(case.dir, "repro.sh")
    with open(p, "w") as f:
        f.write(text)
    os.chmod(p, 0o755)


def snippet(text, n=200):
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "..."


def run_cases(ctx, sec, cases):
    """Run `cases` on `ctx.jobs` workers, checking each; results are recorded in case
    order, so the report is the same for a seed whatever the timing. A case not started
    before the deadline is skipped (counted, never a silent pass)."""
    base = os.path.join(ctx.out, sec.name)
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)

    def one(case):
        case.dir = os.path.join(base, case.cid.split("/")[-1])
        os.makedirs(case.dir)
        write_files(case.dir, case.files)
        os.makedirs(case.cwd, exist_ok=True)
        if ctx.left() < case.timeout * 0.3:
            shutil.rmtree(case.dir, ignore_errors=True)
            return case, None, [], []
        before = tree(case.dir)
        res = run_argv(ctx.bin, case.argv, case.cwd, min(case.timeout, max(ctx.left(), 5)))
        found = basic_findings(res)
        notes = []
        if case.check:
            f2, n2 = case.check(case, res, before)
            found += f2
            notes += n2
        return case, res, found, notes

    with ThreadPoolExecutor(max_workers=ctx.jobs) as pool:
        outcomes = list(pool.map(one, cases))
    # Every case's outcome, one line each (cases.tsv), and the exit codes counted.
    codes = {}
    with open(os.path.join(base, "cases.tsv"), "w") as log:
        log.write("case\texit\tseconds\tfindings\tdescription\n")
        for case, res, found, _ in outcomes:
            rc = "skipped" if res is None else ("timeout" if res.timed_out else str(res.rc))
            codes[rc] = codes.get(rc, 0) + 1
            secs = f"{res.secs:.2f}" if res else ""
            log.write(f"{case.cid}\t{rc}\t{secs}\t{len(found)}\t{case.desc}\n")
    sec.note(sec.name, "exit codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(codes.items()))
             + f" (each case in {os.path.join(base, 'cases.tsv')})")
    for case, res, found, notes in outcomes:
        if res is None:
            sec.skipped += 1
            continue
        sec.cases += 1
        for n in notes:
            sec.note(case.cid, n)
        if found:
            write_repro(case, ctx.bin)
            with open(os.path.join(case.dir, "stderr.txt"), "w") as f:
                f.write(res.err)
            for kind, msg in found:
                sec.finding(case.cid, kind, f"{case.desc}: {msg}", case.dir)
        else:
            shutil.rmtree(case.dir, ignore_errors=True)


def located(err, names):
    """Whether an error message names one of `names` (files or flags)."""
    return any(n and n in err for n in names)


def error_text(err):
    """The `error:` part of stderr (warnings and progress dropped)."""
    lines = err.splitlines()
    for i, l in enumerate(lines):
        if l.startswith("error"):
            return "\n".join(lines[i:])
    return err
