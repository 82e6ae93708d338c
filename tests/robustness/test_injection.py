"""Injection: text from specs (titles, descriptions, messages, claim values,
transition labels, import paths, file names) cannot break out of any
output. JSON (check, compile, SARIF, GitLab) stays valid and gives the text
back exactly; GitHub workflow commands stay one per line; JUnit, SVG and the
HTML report stay well-formed with the structure a harmless text gives; DOT
and Mermaid keep their lines; the terminal formats show control characters
visibly.

A hostile string goes everywhere a spec can put text; the outputs are
compared with those of a harmless string of the same shape."""
from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reliability import CHECK_FORMATS, assert_answered, cli

HAS_DOT = shutil.which("dot") is not None
HOSTILE = [
    '"]; evil [label="x', "</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>", "]]></failure>",
    "\n::error file=x,line=1::pwned", "%0A::warning::y", "\r\n", "\x1b[2J\x1b[31m", "\u202egnp.exe", "\u2028\u2029",
    "\x00\x07\x7f", "{{x}}", "`x`", "-->|y| z[(w)]", "%%{init: {'theme':'dark'}}%%", "classDef a fill:red",
    "subgraph evil", "end", "&amp; &lt;", "#quot;", "\\", '"', "'", "\t", "😀", "\ufeff", "<!--", "-->", "{", "}",
]


def literal(text: str) -> str:
    """A journey string literal whose value is `text` (escapes for the
    quote, the backslash and anything not printable; a character beyond
    the Basic Multilingual Plane as a surrogate pair)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch.isprintable() and ord(ch) < 0x10000:
            out.append(ch)
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            hi, lo = divmod(ord(ch) - 0x10000, 0x400)
            out.append(f"\\u{0xD800 + hi:04x}\\u{0xDC00 + lo:04x}")
    return '"' + "".join(out) + '"'


def spec(h: str) -> str:
    """Every place a spec holds text, holding variants of `h`; two
    contradictory claims make C001 quote claim values. The two messages say
    the same text: with `h` ending in `£`, two texts `£15` and `£17` would
    be figures that C006 rightly reports, which a harmless text does not."""
    t = [literal(f"{h}{i}") for i in range(20)]
    return f"""\
owner o {t[1]} {{ description {t[2]} contact {t[3]} }}
persona p {t[4]} {{ kind customer description {t[5]} }}
channel kiosk {t[6]}
kpi k {t[7]} {{ unit count target >= 1 source first_party {t[8]} category acquisition description {t[9]} }}
journey j {t[10]} {{
  owner o
  description {t[11]}
  promise {t[12]} {{ tone calm }}
  stage s {t[13]} {{
    entry
    phase conversion
    measure k
    touchpoint t {t[14]} {{
      channel kiosk area marketing audience p recovery score 2
      message {t[15]} {{ claim plan = {t[16]} tone calm }}
      message {t[15]} {{ claim plan = {t[18]} }}
    }}
    -> s {t[19]}
  }}
}}
"""


def harmless(h: str) -> str:
    return "".join(" " if c.isspace() else "x" for c in h)


class Tags(HTMLParser):
    """The HTML elements and event-handler attributes of a page."""

    def __init__(self):
        super().__init__()
        self.tags = Counter()

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "img", "object", "embed", "link", "meta", "form", "input", "a", "base",
                   "style", "svg", "foreignobject"):
            self.tags[tag] += 1
        self.tags["on*"] += sum(1 for name, _ in attrs if name.startswith("on"))


def outputs(folder: Path, text: str) -> dict[str, str]:
    (folder / "journeyc.toml").write_text("", encoding="utf-8")
    (folder / "in.journey").write_text(text, encoding="utf-8")
    out = {}
    for fmt in CHECK_FORMATS:
        result = cli(["check", "--output-format", fmt, "--fail-on", "never", "in.journey"], cwd=folder)
        assert_answered(result)
        out[f"check-{fmt}"] = result.stdout
    for fmt in ("json", "dot", "mermaid", "mermaid-journey") + (("svg",) if HAS_DOT else ()):
        result = cli(["compile", *(["--with-locations"] if fmt == "json" else []), "--format", fmt, "in.journey"],
                     cwd=folder)
        assert result.exit_code == 0, result.output
        out[f"compile-{fmt}"] = result.stdout
    if HAS_DOT:
        result = cli(["report", "in.journey"], cwd=folder)
        assert result.exit_code == 0, result.output
        out["report"] = result.stdout
    return out


def shape(out: dict[str, str]) -> dict:
    """What must not depend on the text: line counts of line-based formats,
    the elements of the markup formats."""
    found = {name: out[name].count("\n") for name in ("compile-dot", "compile-mermaid", "compile-mermaid-journey",
                                                      "check-github", "check-concise")}
    found["junit"] = sorted(Counter(e.tag for e in ET.fromstring(out["check-junit"].encode()).iter()).items())
    if "compile-svg" in out:
        svg = ET.fromstring(out["compile-svg"].encode())
        found["svg"] = sorted(Counter(e.get("class") for e in svg.iter() if e.get("class")).items())
    if "report" in out:
        tags = Tags()
        tags.feed(out["report"])
        found["report"] = sorted(tags.tags.items())
    return found


def check_no_breakout(h: str, folder: Path):
    hostile = outputs(folder, spec(h))
    # JSON: valid, and the text given back exactly
    doc = json.loads(hostile["compile-json"])
    assert doc["owners"][0]["title"] == f"{h}1" and doc["journeys"][0]["stages"][0]["transitions"][0]["label"] == f"{h}19"
    messages = doc["journeys"][0]["stages"][0]["touchpoints"][0]["messages"]
    assert [m["claims"][0]["value"]["string"] for m in messages] == [f"{h}16", f"{h}18"]
    for name in ("check-json", "check-sarif", "check-gitlab"):
        json.loads(hostile[name])
    c001 = [d for d in json.loads(hostile["check-json"])["diagnostics"] if d["code"] == "C001"]
    assert c001 and f"{h}18" in c001[0]["message"]
    # GitHub: one workflow command per line, nothing else
    for line in hostile["check-github"].split("\n")[:-1]:  # the runner splits lines at \n (and \r)
        assert re.fullmatch(r"::(error|warning|notice) [^\r\n]*?::[^\r\n]*", line), line
    assert "\r" not in hostile["check-github"]
    # terminals: control characters shown, never sent
    for name in ("check-text", "check-concise"):
        assert all(c.isprintable() or c == "\n" for c in hostile[name]), repr(hostile[name][:300])
    # markup and line formats: the structure of a harmless text
    assert shape(hostile) == shape(outputs(folder, spec(harmless(h))))


@pytest.mark.parametrize("h", HOSTILE + ["".join(HOSTILE)], ids=[f"h{i}" for i in range(len(HOSTILE) + 1)])
def test_hostile_text_stays_inside_every_output(h, tmp_path):
    check_no_breakout(h, tmp_path)


hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(st.characters(codec="utf-8"), max_size=8)),
                        min_size=1, max_size=6).map("".join)


@settings(max_examples=10, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(h=hostile_text)
def test_any_text_stays_inside_every_output(h, tmp_path_factory):
    check_no_breakout(h, tmp_path_factory.mktemp("inj"))


@pytest.mark.fuzz
@settings(max_examples=1000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(h=hostile_text)
def test_fuzz_any_text_stays_inside_every_output(h, tmp_path_factory):
    check_no_breakout(h, tmp_path_factory.mktemp("inj"))


@pytest.mark.parametrize("h", ["\n::error::pwned %0A", "a\r\nb", "\x1b[31mred", "\u202eevil"])
def test_hostile_import_paths_and_file_names(h, tmp_path):
    (tmp_path / "journeyc.toml").write_text("", encoding="utf-8")
    name = "in" + h.replace("/", "_") + ".journey"
    (tmp_path / name).write_text(f"import {literal(h + '.journey')}\n", encoding="utf-8")
    for fmt in ("json", "sarif", "gitlab", "github", "junit", "concise", "text"):
        result = cli(["check", "--output-format", fmt, name], cwd=tmp_path)
        assert_answered(result)
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(result.stdout)
        elif fmt == "github":
            for line in result.stdout.split("\n")[:-1]:
                assert re.fullmatch(r"::(error|warning|notice) [^\r\n]*?::[^\r\n]*", line), line
        elif fmt == "junit":
            ET.fromstring(result.stdout.encode())
        else:
            assert all(c.isprintable() or c == "\n" for c in result.stdout), repr(result.stdout)
    diagnostics = json.loads(cli(["check", "--output-format", "json", name], cwd=tmp_path).stdout)["diagnostics"]
    assert [d["code"] for d in diagnostics] == ["E004"] and diagnostics[0]["file"] == name
