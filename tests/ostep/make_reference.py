#!/usr/bin/env python3
"""Writes tests/ostep/reference.json: random command lines of OSTEP's CPU homework scripts and
the final lines each script prints with -c. Run it against a checkout of
remzi-arpacidusseau/ostep-homework:

    OSTEP_HOME=~/ostep-homework python3 tests/ostep/make_reference.py > tests/ostep/reference.json

tests/cli/ostep.rs checks that `procsim ostep NAME ARGS -c` prints the same lines, and, when
OSTEP_HOME is set, that the scripts still print what the file says.
"""
import json
import os
import random
import subprocess
import sys

HOME = os.environ.get("OSTEP_HOME")
if not HOME:
    sys.exit("set OSTEP_HOME to a checkout of remzi-arpacidusseau/ostep-homework")

SCRIPTS = {
    "scheduler": "cpu-sched/scheduler.py",
    "mlfq": "cpu-sched-mlfq/mlfq.py",
    "lottery": "cpu-sched-lottery/lottery.py",
}


def from_line(start):
    """The answers are the output from the line `start` on."""
    return lambda out: out[out.index(start):].rstrip() + "\n"


def lines_starting(prefix):
    """The answers are the lines that start with `prefix`."""
    return lambda out: "".join(line + "\n" for line in out.splitlines() if line.startswith(prefix))


# How each script's -c answers are read from its output (tests/cli/ostep.rs reads them alike).
ANSWERS = {
    "scheduler": from_line("Final statistics:"),
    "mlfq": from_line("Final statistics:"),
    "lottery": lines_starting("--> JOB"),
}


def answers(script, args):
    out = subprocess.run(
        [sys.executable, os.path.join(HOME, SCRIPTS[script])] + args + ["-c"],
        capture_output=True, text=True, check=True,
    ).stdout
    return ANSWERS[script](out)


def scheduler_args(rng):
    args = []
    if rng.random() < 0.5:
        args += ["-s", str(rng.randint(0, 999)), "-j", str(rng.randint(1, 6)),
                 "-m", str(rng.randint(1, 30))]
    else:
        args += ["-l", ",".join(str(rng.randint(1, 40)) for _ in range(rng.randint(1, 5)))]
    policy = rng.choice(["FIFO", "SJF", "RR"])
    args += ["-p", policy]
    if policy == "RR":
        args += ["-q", str(rng.randint(1, 8))]
    return args


def mlfq_args(rng):
    args = ["-s", str(rng.randint(0, 999))]
    levels = rng.randint(1, 4)
    if rng.random() < 0.5:
        args += ["-Q", ",".join(str(rng.randint(1, 12)) for _ in range(levels))]
        if rng.random() < 0.5:
            args += ["-A", ",".join(str(rng.randint(1, 4)) for _ in range(levels))]
    else:
        args += ["-n", str(levels), "-q", str(rng.randint(1, 12))]
        if rng.random() < 0.5:
            args += ["-a", str(rng.randint(1, 3))]
    if rng.random() < 0.5:
        jobs = ["%d,%d,%d" % (rng.randint(0, 30), rng.randint(1, 60),
                              rng.choice([0, rng.randint(1, 10)]))
                for _ in range(rng.randint(1, 4))]
        args += ["-l", ":".join(jobs)]
    else:
        args += ["-j", str(rng.randint(1, 4)), "-m", str(rng.randint(2, 80)),
                 "-M", str(rng.randint(2, 12))]
    if rng.random() < 0.6:
        args += ["-B", str(rng.randint(1, 60))]
    args += ["-i", str(rng.randint(1, 8))]
    if rng.random() < 0.3:
        args.append("-S")
    if rng.random() < 0.3:
        args.append("-I")
    return args


def lottery_args(rng):
    args = ["-s", str(rng.randint(0, 999))]
    if rng.random() < 0.6:
        args += ["-j", str(rng.randint(1, 6)), "-m", str(rng.randint(2, 20)),
                 "-T", str(rng.randint(2, 200))]
    else:
        args += ["-l", ",".join("%d:%d" % (rng.randint(1, 30), rng.randint(1, 300))
                                for _ in range(rng.randint(1, 5)))]
    args += ["-q", str(rng.randint(1, 6))]
    return args


GENERATORS = {"scheduler": scheduler_args, "mlfq": mlfq_args, "lottery": lottery_args}
CASES = {"scheduler": 40, "mlfq": 80, "lottery": 60}

rng = random.Random(2026)
cases = []
for script, generate in GENERATORS.items():
    for _ in range(CASES[script]):
        args = generate(rng)
        cases.append({"script": script, "args": args, "answers": answers(script, args)})
print("[\n" + ",\n".join(json.dumps(case) for case in cases) + "\n]")
