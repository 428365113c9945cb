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
}
# Where the -c answers start in each script's output.
ANSWERS_START = {
    "scheduler": "Final statistics:",
    "mlfq": "Final statistics:",
}


def answers(script, args):
    out = subprocess.run(
        [sys.executable, os.path.join(HOME, SCRIPTS[script])] + args + ["-c"],
        capture_output=True, text=True, check=True,
    ).stdout
    return out[out.index(ANSWERS_START[script]):].rstrip() + "\n"


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


GENERATORS = {"scheduler": scheduler_args, "mlfq": mlfq_args}
CASES = {"scheduler": 40, "mlfq": 80}

rng = random.Random(2026)
cases = []
for script, generate in GENERATORS.items():
    for _ in range(CASES[script]):
        args = generate(rng)
        cases.append({"script": script, "args": args, "answers": answers(script, args)})
print("[\n" + ",\n".join(json.dumps(case) for case in cases) + "\n]")
