"""A PrairieLearn question script written by `procsim export prairielearn`.

generate(data) draws the variant's problem from template.yaml with the variant's seed
(`procsim generate --seed N --format json`); grade(data) writes the submission in procsim's
answer format and scores it with `procsim grade` against the variant's own problem: partial
credit and feedback per question, from the template's rubric.

procsim is looked for in this order: the PROCSIM environment variable, the copy beside this
file, serverFilesCourse/procsim, then the PATH.
"""

import json
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATE_FLAGS = {generate_flags}
PROCESS_TIMES = ("first_run", "completion", "turnaround", "waiting", "response")


def _procsim(data):
    options = data.get("options") or {}
    candidates = [os.environ.get("PROCSIM"), os.path.join(HERE, "procsim")]
    if options.get("server_files_course_path"):
        candidates.append(os.path.join(options["server_files_course_path"], "procsim"))
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("procsim")
    if found:
        return found
    raise RuntimeError("procsim is not beside server.py, in serverFilesCourse/ or on the PATH")


def _run(data, args):
    done = subprocess.run(
        [_procsim(data)] + args, capture_output=True, text=True, timeout=60, check=False
    )
    if done.returncode != 0:
        raise RuntimeError("procsim %s failed: %s" % (args[0], done.stderr.strip()))
    return done.stdout


def _label(question):
    prompt = question["prompt"]
    if question.get("rounded"):
        prompt += " (rounded to two decimal places)"
    return prompt[0].upper() + prompt[1:]


def generate(data):
    seed = int(data["variant_seed"]) % (1 << 64)
    drawn = json.loads(
        _run(
            data,
            ["generate", os.path.join(HERE, "template.yaml"), "--seed", str(seed)]
            + GENERATE_FLAGS
            + ["--format", "json"],
        )
    )
    problem = drawn["problem"]
    questions = []
    for index, question in enumerate(problem["questions"]):
        name = "q%d" % index
        kind = question["kind"]
        entry = {
            "name": name,
            "question": question["question"],
            "label": _label(question),
            "weight": question["points"],
            "number": kind == "number",
            "text": kind != "number",
            "placeholder": "P1 0-3, P2 3-5" if kind == "gantt" else "P1, P2, P3",
        }
        if kind == "number":
            value = question["value"]
            data["correct_answers"][name] = int(value) if float(value).is_integer() else value
        elif kind == "gantt":
            data["correct_answers"][name] = question["written"]
        else:
            data["correct_answers"][name] = question["value"]
        questions.append(entry)
    data["params"].update(
        {
            "title": problem["title"],
            "description": problem["description"] or "",
            "policy": problem["policy"],
            "cpus": problem["cpus"],
            "rules": problem["rules"],
            "processes": problem["processes"],
            "questions": questions,
            "scenario": drawn["scenario"],
        }
    )


def _answer_file(params, submitted):
    """The submission in procsim's answer format; a value it cannot hold is left out (and
    graded as missing), with the reason."""
    answer = {}
    notes = {}
    for question in params["questions"]:
        value = submitted.get(question["name"])
        if value is None or value == "":
            continue
        path = question["question"]
        owner, _, field = path.rpartition(".")
        if path == "order":
            answer["order"] = [name.strip() for name in str(value).split(",") if name.strip()]
        elif owner == "gantt":
            charts = answer.setdefault("gantt", {})
            charts[field] = str(value)
        elif owner == "averages":
            answer.setdefault("averages", {})[field] = float(value)
        elif field in PROCESS_TIMES:
            number = float(value)
            if not number.is_integer() or number < 0:
                notes[question["name"]] = "a time is a whole number of ticks"
                continue
            answer.setdefault("processes", {}).setdefault(owner, {})[field] = int(number)
    if "gantt" in answer and params["cpus"] == 1:
        answer["gantt"] = answer["gantt"].get("cpu0", "")
    return answer, notes


def grade(data):
    params = data["params"]
    answer, notes = _answer_file(params, data["submitted_answers"])
    with tempfile.TemporaryDirectory() as folder:
        problem = os.path.join(folder, "problem.yaml")
        submission = os.path.join(folder, "answer.json")
        with open(problem, "w", encoding="utf-8") as handle:
            handle.write(params["scenario"])
        with open(submission, "w", encoding="utf-8") as handle:
            json.dump(answer, handle)
        graded = json.loads(_run(data, ["grade", problem, submission, "--format", "json"]))
    if isinstance(graded, list):
        graded = graded[0]
    if graded.get("error"):
        raise RuntimeError("procsim grade: %s" % graded["error"])
    items = {item["question"]: item for item in graded["items"]}
    for question in params["questions"]:
        item = items.get(question["question"])
        if item is None:
            continue
        feedback = notes.get(question["name"], item["feedback"])
        data["partial_scores"][question["name"]] = {
            "score": item["points"] / item["max_points"] if item["max_points"] else 0.0,
            "weight": item["max_points"],
            "feedback": feedback,
        }
    data["score"] = graded["score"] / graded["max_score"] if graded["max_score"] else 0.0
    data["feedback"]["procsim"] = "%g of %g points" % (graded["score"], graded["max_score"])
