"""Runs a question written by `procsim export prairielearn` as PrairieLearn would, with a stub
of its data dict: generate(), the page rendered (mustache, as PrairieLearn's chevron does),
then grade() on the right answers, on answers with one wrong, and on an empty submission.
Prints a JSON summary; any broken promise raises."""

import html
import importlib.util
import json
import re
import sys


def lookup(stack, name):
    if name == ".":
        return stack[-1]
    for context in reversed(stack):
        value = context
        for part in name.split("."):
            if isinstance(value, dict) and part in value:
                value = value[part]
            else:
                value = None
                break
        if value is not None:
            return value
    return None


def render(template, stack):
    """The mustache PrairieLearn's pages use: sections over lists, booleans and strings,
    escaped {{x}} and raw {{{x}}}."""
    out = []
    position = 0
    tag = re.compile(r"\{\{(\{?)([#/^]?)\s*([\w.]+)\s*\}?\}\}")
    while True:
        found = tag.search(template, position)
        if not found:
            out.append(template[position:])
            return "".join(out)
        out.append(template[position:found.start()])
        raw, kind, name = found.groups()
        if kind in "#^" and kind:
            close = re.compile(r"\{\{/\s*" + re.escape(name) + r"\s*\}\}")
            end = close.search(template, found.end())
            inner = template[found.end():end.start()]
            value = lookup(stack, name)
            if kind == "^":
                if not value:
                    out.append(render(inner, stack))
            elif isinstance(value, list):
                for element in value:
                    out.append(render(inner, stack + [element]))
            elif value:
                out.append(render(inner, stack + [value]))
            position = end.end()
        else:
            value = lookup(stack, name)
            text = "" if value is None else str(value)
            out.append(text if raw else html.escape(text))
            position = found.end()


def main(folder):
    spec = importlib.util.spec_from_file_location("server", folder + "/server.py")
    server = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(server)

    def fresh():
        return {
            "variant_seed": 1234567,
            "params": {},
            "correct_answers": {},
            "submitted_answers": {},
            "format_errors": {},
            "partial_scores": {},
            "score": 0,
            "feedback": {},
            "options": {"question_path": folder},
        }

    data = fresh()
    server.generate(data)
    page = render(open(folder + "/question.html", encoding="utf-8").read(), [data])
    names = re.findall(r'answers-name="([^"]+)"', page)
    assert names and sorted(names) == sorted(data["correct_answers"]), (names, data)
    assert "{{" not in page, page
    for row in data["params"]["processes"]:
        assert "<td>%s</td>" % html.escape(row["name"]) in page, row

    right = json.loads(json.dumps(data))
    right["submitted_answers"] = dict(data["correct_answers"])
    server.grade(right)
    assert right["score"] == 1.0, right

    wrong = json.loads(json.dumps(data))
    wrong["submitted_answers"] = dict(data["correct_answers"])
    first = names[0]
    value = wrong["submitted_answers"][first]
    wrong["submitted_answers"][first] = value + 1 if isinstance(value, (int, float)) else "P9 0-1"
    server.grade(wrong)
    assert 0 < wrong["score"] < 1, wrong
    assert wrong["partial_scores"][first]["score"] < 1, wrong["partial_scores"][first]

    empty = json.loads(json.dumps(data))
    server.grade(empty)
    assert empty["score"] == 0, empty

    print(json.dumps({
        "questions": len(names),
        "wrong_score": wrong["score"],
        "wrong_feedback": wrong["partial_scores"][first]["feedback"],
        "empty_feedback": empty["partial_scores"][first]["feedback"],
        "title": data["params"]["title"],
    }))


main(sys.argv[1])
