"""Facts and copy files (LANGUAGE.md 1.1): the `fact` declaration, `message
from "path"`, copy files read under the imports' rules (E004, E008, E010),
HTML visible text with positions, suppressions and per-file-ignores."""
from __future__ import annotations

import json
import os

import journeyc
from journeyc.compiler import run_check
from journeyc.copyfiles import visible_text
from journeyc.parsing.driver import parse_source
from journeyc.load import Session
from journeyc.parsing.recovery import parse_with_recovery

from conftest import run_journeyc, write

FACTS = '''persona guest { kind customer }
fact trial_length = 14 days { phrase "free trial", "trial" audience guest description "The trial" }
fact refund_window = 30 days
'''


def codes(diags):
    return [(d.code, d.span.file, d.span.line, d.span.column) for d in diags]


def test_fact_and_message_from_parse_the_same_in_both_parsers_and_keywords_stay_identifiers():
    text = FACTS + '''fact from = 3
journey fact {
  stage phrase {
    touchpoint from { channel email message from "copy/x.md" { tone calm } message "a 14-day trial" }
  }
}
'''
    fast, errors = parse_source(text, "f.journey", "f.journey")
    slow, slow_errors = parse_with_recovery(text, "f.journey", "f.journey")
    assert errors == slow_errors == []
    assert fast.blocks == slow.blocks


def test_facts_in_the_model_and_json(tmp_path):
    write(tmp_path, "copy/x.md", "Refunds within 30 days.\n")
    p = write(tmp_path, "j.journey", FACTS + 'journey j { stage s { touchpoint t { audience guest '
                                             'message from "copy/x.md" message "Your free trial: 14 days" } } }\n')
    comp, diags = journeyc.compile_file(p)
    assert comp is not None, codes(diags)
    assert list(comp.facts) == ["trial_length", "refund_window"]
    assert comp.facts["refund_window"].phrase_texts == ("refund window",)  # the id with _ read as a space
    doc = journeyc.to_json(comp, with_locations=True)
    assert doc["facts"][0] == {"id": "trial_length", "value": {"number": 14, "unit": "days"},
                               "phrases": ["free trial", "trial"], "audience": ["guest"],
                               "description": "The trial",
                               "location": {"file": str(p), "line": 2, "column": 1}}
    assert doc["facts"][1]["phrases"] == ["refund window"]
    copy_msg, text_msg = doc["journeys"][0]["stages"][0]["touchpoints"][0]["messages"]
    assert copy_msg["source"] == "copy/x.md" and copy_msg["text"] == "Refunds within 30 days.\n"
    assert copy_msg["figures"] == [{"kind": "duration", "number": 30, "unit": "day", "text": "30 days", "fact": None,
                                    "location": {"file": os.path.join(str(tmp_path), "copy/x.md").replace(os.sep, "/"),
                                                 "line": 1, "column": 16}}]
    assert text_msg["source"] is None
    assert text_msg["figures"][0]["fact"] == "trial_length"
    assert doc["sources"] == [str(p), os.path.join(str(tmp_path), "copy/x.md").replace(os.sep, "/")]


def test_fact_errors_e003_e009_e002(tmp_path):
    p = write(tmp_path, "j.journey", 'owner trial\nfact trial = 14 days { phrase "a" phrase "b" audience nobody }\n'
                                     'journey j { stage s { } }\n')
    comp, diags = journeyc.compile_file(p)
    assert comp is None
    assert ("E009", str(p), 2, 35) in codes(diags)
    p = write(tmp_path, "k.journey", 'owner trial\nfact trial = 14 days { audience nobody }\njourney j { stage s { } }\n')
    comp, diags = journeyc.compile_file(p)
    assert sorted(d.code for d in diags) == ["E002", "E003"]
    e003 = next(d for d in diags if d.code == "E003")
    assert "facts" in e003.message and e003.span.line == 2


def test_percent_word_is_a_percentage_for_e006(tmp_path):
    p = write(tmp_path, "j.journey", 'kpi k { target >= 150 percent }\njourney j { stage s { } }\n')
    comp, diags = journeyc.compile_file(p)
    assert [d.code for d in diags] == ["E006"]


HTML = '''<!DOCTYPE html>
<html><head><title>Offer 90 days</title><style>p { margin: 14px; }</style></head>
<body>
<p class="x"
   title="30 days">Get your <b
   >money back</b> within
   14&nbsp;days.</p>
<script>var x = "money back in 90 days";</script>
<!-- money back in 60 days -->
<table><tr><td>&euro;35</td><td>Pro plan</td></tr><tr><td>Team plan</td></tr></table>
<img alt="refund in 45 days">
</body></html>
'''


def test_html_visible_text_keeps_positions_with_tags_spanning_lines():
    text, starts, ends = visible_text(HTML)
    assert "90" not in text and "margin" not in text and "60" not in text and "45" not in text
    assert "30 days" not in text  # attribute values are not text
    i = text.index("14")
    assert HTML[starts[i]:starts[i] + 2] == "14"
    assert "€35" in text  # character references decoded
    j = text.index("€")
    assert HTML[starts[j]:ends[j]] == "&euro;"
    # the cells of a row are one sentence; rows (block elements) end sentences
    row = text[text.index("€35"):]
    assert row.split("\n")[0].split() == ["€35", "Pro", "plan"]


def test_copy_file_figures_point_into_the_copy_file(tmp_path):
    write(tmp_path, "copy/welcome.html", HTML)
    write(tmp_path, "main.journey", 'fact refund_window = 30 days { phrase "money back" }\n'
                                    'journey j { stage a { touchpoint mail { channel email message from "copy/welcome.html" } } }\n')
    proc = run_journeyc(["check", "--select", "C005", "--output-format", "json", "main.journey"], cwd=tmp_path)
    (d,) = json.loads(proc.stdout)["diagnostics"]
    assert (d["code"], d["file"], d["line"], d["column"]) == ("C005", "copy/welcome.html", 7, 4)
    assert "14\u00a0days" in d["message"] or "14 days" in d["message"]
    # the text format shows the copy file's own line
    proc = run_journeyc(["check", "--select", "C005", "main.journey"], cwd=tmp_path)
    assert "14&nbsp;days." in proc.stdout.decode()


def test_a_price_in_one_cell_is_about_the_plan_in_the_next(tmp_path):
    write(tmp_path, "copy/plans.html", "<table><tr><td>$35</td><td>Pro plan</td></tr>"
                                       "<tr><td>$20</td><td>Other</td></tr></table>")
    write(tmp_path, "main.journey", 'fact pro_price = 35 USD { phrase "pro plan" }\n'
                                    'journey j { stage a { touchpoint p { message from "copy/plans.html" } } }\n')
    comp, diags = journeyc.compile_file(tmp_path / "main.journey")
    (m,) = comp.journeys[0].stages[0].touchpoints[0].messages
    assert [(f.text, f.fact) for f in m.figures] == [("$35", "pro_price"), ("$20", None)]


def test_copy_files_follow_the_imports_rules(tmp_path):
    write(tmp_path, "journeyc.toml", "")
    write(tmp_path, "bad.txt", "")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 14 days")
    (tmp_path / "nul.txt").write_bytes(b"a\x00b")
    write(tmp_path.parent, "outside.txt", "x")
    p = write(tmp_path, "main.journey", '''journey j { stage a { touchpoint t {
  message from "missing.md"
  message from "bad.txt"
  message from "nul.txt"
  message from "../outside.txt"
  message from "/etc/passwd"
} } }
''')
    comp, diags = journeyc.compile_file(p)
    assert comp is None
    found = sorted((d.code, os.path.basename(d.span.file), d.span.line) for d in diags)
    assert found == [("E004", "main.journey", 2), ("E008", "bad.txt", 1), ("E008", "nul.txt", 1),
                     ("E010", "main.journey", 5), ("E010", "main.journey", 6)]


def test_a_copy_file_is_read_once_per_run(tmp_path, monkeypatch, opened):
    write(tmp_path, "copy/x.md", "Refunds in 30 days")
    for name in ("a", "b"):
        write(tmp_path, f"{name}.journey", f'journey {name} {{ stage s {{ touchpoint t {{ message from "copy/x.md" '
                                           f'message from "copy/../copy/x.md" }} }} }}\n')
    monkeypatch.chdir(tmp_path)
    run_check(["a.journey", "b.journey"], Session())
    assert [os.path.basename(p) for p in opened].count("x.md") == 1


def test_suppression_on_the_message_from_line_and_per_file_ignores(tmp_path):
    write(tmp_path, "copy/a.md", "Refunds in 14 days.")
    write(tmp_path, "copy/b.md", "Refunds in 15 days.")
    write(tmp_path, "copy/c.md", "Refunds in 16 days.")
    write(tmp_path, "main.journey", '''fact refund_window = 30 days { phrase "refunds" }
journey j { stage a {
  touchpoint t1 { message from "copy/a.md" }  # journeyc: ignore[C005] -- legacy copy, rewritten in CX-12
  # journeyc: ignore[C005]
  touchpoint t2 { message from "copy/b.md" }
  touchpoint t3 { message from "copy/c.md" }
} }
''')
    proc = run_journeyc(["check", "--select", "C005,S001", "--output-format", "json", "main.journey"], cwd=tmp_path)
    found = [(d["code"], d["file"]) for d in json.loads(proc.stdout)["diagnostics"]]
    assert found == [("C005", "copy/c.md")]
    write(tmp_path, "journeyc.toml", '[per-file-ignores]\n"copy/c.md" = ["C005"]\n')
    proc = run_journeyc(["check", "--select", "C005,S001", "--output-format", "json", "main.journey"], cwd=tmp_path)
    assert json.loads(proc.stdout)["diagnostics"] == []


def test_string_figure_spans_with_escapes_and_long_strings(tmp_path):
    p = write(tmp_path, "j.journey", 'fact trial = 14 days\njourney j { stage s { touchpoint t {\n'
                                     '  message "\\u00e9\\"trial\\" 30 days"\n'
                                     '  message """A long\ntrial of 30 days"""\n} } }\n')
    proc = run_journeyc(["check", "--select", "C005", "--output-format", "json", str(p)])
    spans = [(d["line"], d["column"]) for d in json.loads(proc.stdout)["diagnostics"]]
    assert spans == [(3, 11), (4, 11)]  # C005 reports at the message's string
    comp, _ = journeyc.compile_file(p)
    m1, m2 = comp.journeys[0].stages[0].touchpoints[0].messages
    assert (m1.figures[0].span.line, m1.figures[0].span.column, m1.figures[0].span.end_column) == (3, 28, 35)
    assert (m2.figures[0].span.line, m2.figures[0].span.column) == (5, 10)


def test_a_copy_path_no_file_can_have_is_e004(tmp_path):
    p = write(tmp_path, "j.journey", 'journey j { stage a { touchpoint t {\n  message from "' + "x" * 5000 + '"\n'
                                     '  message from "."\n} } }\n')
    comp, diags = journeyc.compile_file(p)
    assert comp is None and [(d.code, d.span.line) for d in diags] == [("E004", 2), ("E004", 3)]
