#!/usr/bin/env python3
"""procsim's EDF and RM against SimSo's uniprocessor schedulers (docs/realtime.md).

Draws random task sets (2 or 3 tasks, periods 3 to 10, hyperperiod at most 200), runs each for
one hyperperiod under SimSo's EDF_mono and RM_mono and under procsim's edf and rm, both with
firm deadlines (SimSo's default `abort_on_miss`, procsim's `on_miss: abort`), and lists every
job whose end differs. Not part of the test suite (it needs SimSo from PyPI):

    python3 -m venv venv && venv/bin/pip install simso
    cargo build --release
    venv/bin/python docs/examples/realtime-vs-simso.py [SEED] [CASES]

The differences it finds are ties between jobs released at one instant: SimSo orders them as
its event queue does, procsim by the order of `tasks:`.
"""
import json
import math
import random
import subprocess
import sys

from simso.configuration import Configuration
from simso.core import Model

PROCSIM = "target/release/procsim"


def simso_ends(tasks, scheduler, horizon):
    configuration = Configuration()
    configuration.duration = horizon * configuration.cycles_per_ms
    for index, (period, wcet, deadline) in enumerate(tasks):
        configuration.add_task(name="T%d" % index, identifier=index + 1, period=period,
                               activation_date=0, wcet=wcet, deadline=deadline,
                               abort_on_miss=True)
    configuration.add_processor(name="CPU 1", identifier=1)
    configuration.scheduler_info.clas = scheduler
    configuration.check_all()
    model = Model(configuration)
    model.run_model()
    ends = {}
    for task in model.results.tasks:
        for number, job in enumerate(task.jobs, start=1):
            if job.end_date is not None:
                ends[(task.name, number)] = job.end_date / configuration.cycles_per_ms
    return ends


def procsim_ends(tasks, policy, horizon):
    text = "name: diff\npolicy: %s\nhorizon: %d\non_miss: abort\ntasks:\n" % (policy, horizon)
    for index, (period, wcet, deadline) in enumerate(tasks):
        text += "  - {name: T%d, period: %d, wcet: %d, deadline: %d}\n" % (
            index, period, wcet, deadline)
    run = subprocess.run([PROCSIM, "run", "-", "--format", "json"], input=text,
                         capture_output=True, text=True, check=True)
    ends = {}
    for job in json.loads(run.stdout)["jobs"]:
        # An aborted job ends at its deadline, as SimSo's does.
        end = job["finish"] if job["finish"] is not None else job["deadline"]
        ends[(job["task"], job["job"])] = float(end)
    return ends


def main():
    random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    cases = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    differing = 0
    for _ in range(cases):
        tasks = []
        for _ in range(random.randint(2, 3)):
            period = random.randint(3, 10)
            wcet = random.randint(1, period)
            tasks.append((period, wcet, random.randint(wcet, period)))
        horizon = 1
        for period, _, _ in tasks:
            horizon = horizon * period // math.gcd(horizon, period)
        if horizon > 200:
            continue
        for scheduler, policy in [("simso.schedulers.EDF_mono", "edf"),
                                  ("simso.schedulers.RM_mono", "rm")]:
            theirs = simso_ends(tasks, scheduler, horizon)
            ours = procsim_ends(tasks, policy, horizon)
            jobs = {job for job, end in list(theirs.items()) + list(ours.items()) if end < horizon}
            diff = [(job, theirs.get(job), ours.get(job)) for job in sorted(jobs)
                    if theirs.get(job) != ours.get(job)]
            if diff:
                differing += 1
                print(policy, tasks, "(SimSo, procsim):", diff[:4])
    print("task sets whose jobs end differently:", differing)


if __name__ == "__main__":
    main()
