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
    "process-run": "cpu-intro/process-run.py",
    "fork": "cpu-api/fork.py",
    "multi": "cpu-sched-multi/multi.py",
}


def from_line(start):
    """The answers are the output from the line holding `start` on."""
    def read(out):
        at = out.index(start)
        return out[out.rfind("\n", 0, at) + 1:].rstrip() + "\n"
    return read


def lines_starting(prefix):
    """The answers are the lines that start with `prefix`."""
    return lambda out: "".join(line + "\n" for line in out.splitlines() if line.startswith(prefix))


# How each script's -c answers are read from its output (tests/cli/ostep.rs reads them alike).
ANSWERS = {
    "scheduler": from_line("Final statistics:"),
    "mlfq": from_line("Final statistics:"),
    "lottery": lines_starting("--> JOB"),
    "process-run": lines_starting("Stats:"),
    "fork": from_line("Final Process Tree:"),
    "multi": from_line("Finished time"),
}


def process_run_json(out, args):
    """process-run.py's answers as `procsim ostep process-run -c --format json` gives them:
    the Stats numbers, and the tick of each process's last instruction from the trace."""
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Time"))
    processes = lines[header].count("PID:")
    finish = [0] * processes
    for line in lines[header + 1:]:
        fields = line.split()
        if not fields or not fields[0].rstrip("*").isdigit():
            break
        for pid, state in enumerate(fields[1:1 + processes]):
            if state.startswith("RUN:"):
                finish[pid] = int(fields[0].rstrip("*"))
    numbers = [int(line.split()[3]) for line in lines if line.startswith("Stats:")]
    return {"total_time": numbers[0], "cpu_busy": numbers[1], "io_busy": numbers[2],
            "finish": finish}


def fork_json(out, args):
    """The final tree as `procsim ostep fork -c --format json` gives it: each process's parent,
    read from the script's drawing (indentation gives the depth: 3 columns a level in the
    basic style, where names are right-aligned in 2, 4 in the others)."""
    basic = "basic" in args
    lines = out[out.index("Final Process Tree:"):].rstrip().splitlines()[1:]
    parents, stack = {}, []
    for line in lines:
        body = line[31:]
        name = body.split()[-1]
        if basic:
            depth = (len(body) - max(len(name), 2)) // 3
        else:
            depth = (len(body) - len(name)) // 4
        del stack[depth:]
        if stack:
            parents[name] = stack[-1]
        stack.append(name)
    return {"parents": dict(sorted(parents.items()))}


def multi_json(out, args):
    """multi.py's answers as `procsim ostep multi -c --format json` gives them: the end time and
    per-CPU percentages from its statistics, each job's finish and each CPU's busy ticks from
    its -t -T trace, each CPU's warm ticks from its warm percentage."""
    import re
    end = int(re.search(r"Finished time (\d+)", out).group(1))
    stats = re.findall(r"CPU (\d+)  utilization +([\d.]+) \[ warm +([\d.]+) \]", out)
    utilization = [float(u) for _, u, _ in stats]
    warm = [float(w) for _, _, w in stats]
    busy = [0] * len(stats)
    finish = {}
    for line in out.splitlines():
        match = re.match(r"^ +(\d+)   (.*)$", line)
        if not match:
            continue
        tick = int(match.group(1))
        for cpu, (name, left) in enumerate(re.findall(r"(\S+) \[ *(\d*)\]", match.group(2))):
            if name == "-":
                continue
            busy[cpu] += 1
            if left != "" and int(left) == 0:
                finish[name] = tick + 1
    return {"end_time": end, "finish": dict(sorted(finish.items())), "cpu_busy": busy,
            "cpu_warm": [round(w * end / 100) for w in warm], "utilization": utilization,
            "warm_utilization": warm}


# The answers as -c --format json prints them, where the script's words do not hold them all.
JSON = {"process-run": process_run_json, "fork": fork_json, "multi": multi_json}


def run(script, args):
    extra = {"process-run": ["-p"], "fork": ["-F"], "multi": ["-t", "-T"]}.get(script, [])
    return subprocess.run(
        [sys.executable, os.path.join(HOME, SCRIPTS[script])] + args + ["-c"] + extra,
        capture_output=True, text=True, check=True,
    ).stdout


def case(script, args):
    out = run(script, args)
    entry = {"script": script, "args": args, "answers": ANSWERS[script](out)}
    if script in JSON:
        entry["json"] = JSON[script](out, args)
    return entry


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


def process_run_args(rng):
    if rng.random() < 0.6:
        args = ["-s", str(rng.randint(0, 999)), "-l",
                ",".join("%d:%d" % (rng.randint(1, 8), rng.choice([0, 25, 50, 75, 100, rng.randint(0, 100)]))
                         for _ in range(rng.randint(1, 4)))]
    else:
        programs = []
        for _ in range(rng.randint(1, 4)):
            items = [rng.choice(["c%d" % rng.randint(1, 5), "i"]) for _ in range(rng.randint(1, 4))]
            programs.append(",".join(items))
        args = ["-P", ":".join(programs)]
    args += ["-L", str(rng.randint(1, 7))]
    args += ["-S", rng.choice(["SWITCH_ON_IO", "SWITCH_ON_END"])]
    args += ["-I", rng.choice(["IO_RUN_LATER", "IO_RUN_IMMEDIATE"])]
    return args


def fork_args(rng):
    if rng.random() < 0.7:
        args = ["-s", str(rng.randint(0, 999)), "-a", str(rng.randint(1, 30)),
                "-f", str(rng.choice([0.3, 0.5, 0.7, 0.9]))]
    else:
        alive, names, actions = ["a"], iter("bcdefghijklmnopqrstuvwxyzABCDEFGHIJ"), []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.65 or len(alive) == 1:
                child = next(names)
                actions.append("%s+%s" % (rng.choice(alive), child))
                alive.append(child)
            else:
                exiting = rng.choice(alive[1:])
                alive.remove(exiting)
                actions.append("%s-" % exiting)
        args = ["-A", ",".join(actions)]
    if rng.random() < 0.4:
        args.append("-R")
    if rng.random() < 0.2 and "-A" not in args:
        args.append("-L")
    args += ["-P", rng.choice(["fancy", "fancy", "basic", "line1", "line2"])]
    return args


def multi_args(rng):
    cpus = rng.randint(1, 4)
    args = ["-s", str(rng.randint(0, 999)), "-n", str(cpus)]
    names = []
    if rng.random() < 0.5:
        jobs = rng.randint(1, 6)
        args += ["-j", str(jobs), "-R", str(rng.choice([50, 100, 200])),
                 "-W", str(rng.choice([100, 200, 300]))]
        names = [str(j) for j in range(jobs)]
    else:
        jobs = []
        for j in range(rng.randint(1, 6)):
            name = "abcdefgh"[j]
            names.append(name)
            jobs.append("%s:%d:%d" % (name, rng.randint(0, 20) * 10, rng.randint(0, 20) * 10))
        args += ["-L", ",".join(jobs)]
    args += ["-q", str(rng.randint(1, 20))]
    if rng.random() < 0.5:
        # With one CPU the script's steal draws from an empty list and fails.
        peek = rng.choice([0, 5, 10, 30]) if cpus > 1 else 0
        args += ["-p", "-P", str(peek)]
    if rng.random() < 0.3 and cpus > 1:
        chosen = rng.sample(names, rng.randint(1, len(names)))
        spec = []
        for name in chosen:
            allowed = sorted(rng.sample(range(cpus), rng.randint(1, cpus)))
            spec.append("%s:%s" % (name, ".".join(str(c) for c in allowed)))
        args += ["-A", ",".join(spec)]
    args += ["-w", str(rng.randint(0, 20)), "-r", str(rng.randint(1, 4)),
             "-M", str(rng.choice([50, 100, 150, 300]))]
    if rng.random() < 0.3:
        args.append("-o")
    return args


GENERATORS = {"scheduler": scheduler_args, "mlfq": mlfq_args, "lottery": lottery_args,
              "process-run": process_run_args, "fork": fork_args, "multi": multi_args}
CASES = {"scheduler": 40, "mlfq": 80, "lottery": 60, "process-run": 150, "fork": 100,
         "multi": 150}

rng = random.Random(2026)
cases = []
for script, generate in GENERATORS.items():
    for _ in range(CASES[script]):
        args = generate(rng)
        cases.append(case(script, args))
# process-run with -L 0: an IO that completes the tick after the one that issues it (procsim's
# `{io: 0}`, which completes at the instant it is issued). Drawn apart so that the cases above
# keep their draws.
zero = random.Random(3030)
for _ in range(40):
    args = process_run_args(zero)
    args[args.index("-L") + 1] = "0"
    cases.append(case("process-run", args))
print("[\n" + ",\n".join(json.dumps(case) for case in cases) + "\n]")
