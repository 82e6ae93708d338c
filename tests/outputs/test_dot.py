"""The Graphviz backend: golden DOT for every spec, DOT that `dot` accepts
without a warning, the same bytes on every run, hostile text that stays
text, PNG and PDF that are what they say, and a clear exit 2 without `dot`.

Golden files live in tests/golden/dot/; `pytest --update-golden` (or
JOURNEYC_UPDATE_GOLDEN=1) rewrites them: review the diff."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import journeyc
from journeyc.backends import diagram, dot

from conftest import GOLDEN, REPO, run_journeyc, spec_files, write

INPUTS = GOLDEN / "inputs"
HOSTILE = INPUTS / "hostile.journey"
FINDINGS = INPUTS / "findings.journey"
# .ci/run sets JOURNEYC_REQUIRE_TOOLS=1: there a missing `dot` fails the tests instead of skipping them
needs_dot = pytest.mark.skipif(shutil.which("dot") is None and not os.environ.get("JOURNEYC_REQUIRE_TOOLS"),
                               reason="Graphviz's dot is not installed (apt-get install graphviz)")

# Every hostile string of tests/golden/inputs/hostile.journey, as it must read.
HOSTILE_TEXTS = [
    '<script>alert(\'journey\')</script> "\\',
    'Team "quoted" \\ back\\',
    "<b>bold</b> & <<TABLE>>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "%% comment -->",
    'Say "hi" \\n \\',
    "<b>bold</b>",
    "<<TABLE>>",
    "a:b",
    "%%",
    "-->",
    "javascript:alert('loop')",
    "ends with a backslash \\",
    "&amp; &lt; #quot; #lt; &#60; \\N \\G \\L",
    "[x] (y) {z} |w| `v` ;u",
    "subgraph end",
]


def compile_input(path: Path):
    comp, diagnostics = journeyc.compile_file(path)
    assert comp is not None, [d.message for d in diagnostics]
    return comp, diagnostics


def golden_cases():
    """(golden name, input file, annotate) for every spec and each fixture."""
    cases = [(f"{p.stem}", p, False) for p in spec_files()]
    cases += [("hostile", HOSTILE, False), ("findings", FINDINGS, False), ("findings.annotated", FINDINGS, True),
              ("edges", INPUTS / "edges.journey", False),
              ("catalog-teams", REPO / "specs" / "catalog" / "teams.journey", False)]
    return cases


@pytest.mark.parametrize("name,path,annotate", golden_cases(), ids=[c[0] for c in golden_cases()])
def test_golden_dot(name, path, annotate, golden, monkeypatch):
    monkeypatch.chdir(REPO)
    comp, diagnostics = compile_input(path.relative_to(REPO))
    golden(f"dot/{name}.dot", dot.to_dot(comp, diagnostics if annotate else None))


def test_every_golden_dot_has_its_input():
    names = {c[0] for c in golden_cases()}
    stale = sorted(p.name for p in (GOLDEN / "dot").glob("*.dot") if p.stem not in names)
    assert not stale, f"golden DOT files for specs that no longer exist: {stale}"


@needs_dot
@pytest.mark.parametrize("name", [c[0] for c in golden_cases()])
def test_dot_accepts_golden_without_warnings(name):
    src = (GOLDEN / "dot" / f"{name}.dot").read_bytes()
    for fmt in ("svg", "png"):
        proc = subprocess.run(["dot", f"-T{fmt}"], input=src, capture_output=True)
        assert proc.returncode == 0, proc.stderr.decode()
        assert proc.stderr == b"", f"dot -T{fmt} warned: {proc.stderr.decode()}"
        assert proc.stdout


def test_dot_is_byte_identical_across_runs_and_hash_seeds(tmp_path):
    outs = []
    for seed in ("0", "1", "12345"):
        proc = run_journeyc(["compile", "--format", "dot", "--annotate", FINDINGS.relative_to(REPO)], cwd=REPO,
                            env={"PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr.decode()
        outs.append(proc.stdout)
    assert outs[0] == outs[1] == outs[2]
    assert outs[0].startswith(b"digraph journeyc {")


def test_dot_through_the_cli_matches_the_golden_file(tmp_path):
    out = tmp_path / "saas.dot"
    proc = run_journeyc(["compile", "specs/saas.journey", "--format", "dot", "-o", out], cwd=REPO)
    assert proc.returncode == 0, proc.stderr.decode()
    assert out.read_text(encoding="utf-8") == (GOLDEN / "dot" / "saas.dot").read_text(encoding="utf-8")


# -- the drawing -------------------------------------------------------------------


def test_layout_and_legend():
    comp, _ = compile_input(REPO / "specs" / "saas.journey")
    src = dot.to_dot(comp)
    assert "rankdir=LR" in src
    stages = [s for j in comp.journeys for s in j.stages]
    touchpoints = [t for s in stages for t in s.touchpoints]
    assert len(re.findall(r"^\s*subgraph cluster_s\d+ \{", src, re.M)) == len(stages)
    assert len(re.findall(r"^\s*subgraph cluster_j\d+ \{", src, re.M)) == len(comp.journeys)
    assert len(re.findall(r"^\s*t\d+ \[", src, re.M)) == len(touchpoints)
    for phase in ("pre-sale", "conversion", "post-sale"):
        assert f"<B>{phase}</B>" in src  # the legend
    assert "loop-back" in src and "pain point (score 1\u20132)" in src and "recovery" in src


def test_stage_cluster_shows_title_phase_owner_and_kpis_with_targets():
    comp, _ = compile_input(REPO / "specs" / "saas.journey")
    src = dot.to_dot(comp)
    j = comp.journeys[0]
    for s in j.stages:
        name, fill, line = diagram.PHASE_STYLE[s.phase]
        assert dot.esc(diagram.wrap(diagram.title_of(s), 32)[0]) in src
        assert name.upper() in src
        assert f'fillcolor="{fill}"' in src
        owner = diagram.owner_title(comp, s.owner)
        assert dot.esc(f"owner: {owner}") in src
        # every measured KPI, with its effective target
        for use in diagram.kpi_uses(comp, s.measures):
            assert dot.esc(diagram.wrap(f"\u25c6 {use.text()}", 40)[0]) in src
            assert use.target is None or diagram.target_text(use.target) in use.text()


def test_loop_backs_are_drawn_distinctly_and_labelled():
    comp, _ = compile_input(HOSTILE)
    src = dot.to_dot(comp)
    loops = [tr for j in comp.journeys for s in j.stages for tr in s.transitions if tr.loop_back]
    assert loops
    loop_edges = [line for line in src.splitlines() if "->" in line and "style=dashed" in line]
    assert len(loop_edges) == len(loops)
    for line in loop_edges:
        assert f'color="{diagram.LOOP_COLOUR}"' in line
        assert "\u21ba loop-back" in line
        assert "dir=back" in line  # laid out forwards, drawn backwards
    plain = [line for line in src.splitlines() if re.match(r"\s*s\d+ -> s\d+", line) and "style=dashed" not in line
             and "style=invis" not in line]
    assert plain and all(diagram.LOOP_COLOUR not in line for line in plain)


def test_pain_points_and_recovery_touchpoints_are_distinct():
    comp, _ = compile_input(HOSTILE)
    src = dot.to_dot(comp)
    node_lines = {m.group(1): m.group(0) for m in re.finditer(r"^\s*(t\d+) \[.*$", src, re.M)}
    tps = [t for j in comp.journeys for s in j.stages for t in s.touchpoints]
    for i, t in enumerate(tps, start=1):
        line = node_lines[f"t{i}"]
        if t.recovery:
            assert "peripheries=2" in line and diagram.RECOVERY_LINE in line
        elif diagram.is_pain_point(t):
            assert f'fillcolor="{diagram.PAIN_FILL}"' in line and "pain point" in line
        else:
            assert "peripheries" not in line and diagram.PAIN_FILL not in line


def test_annotate_places_findings_on_their_constructs():
    comp, diagnostics = compile_input(FINDINGS)
    placed = diagram.place_findings(comp, diagnostics)
    j = comp.journeys[0]
    stages = {s.id.text: s for s in j.stages}
    tps = {t.id.text: t for s in j.stages for t in s.touchpoints}
    codes = lambda ds: sorted(d.code for d in ds)  # noqa: E731
    assert codes(placed.of_journey(j)) == ["M006", "X004"]
    assert codes(placed.of_stage(stages["lost"])) == ["F002"]
    assert codes(placed.of_stage(stages["buy"])) == ["M001"]
    assert codes(placed.of_touchpoint(tps["checkout"])) == ["C001", "C003", "X003", "X006"]
    assert codes(placed.of_touchpoint(tps["ad"])) == ["X005"]
    assert codes(placed.of_kpi("panel")) == ["M003"]
    assert codes(placed.of_kpi("unused")) == ["M007"]  # measured nowhere, so drawn nowhere
    assert codes(placed.elsewhere) == ["O002"]


def test_annotated_dot_marks_severity_and_codes():
    comp, diagnostics = compile_input(FINDINGS)
    src = dot.to_dot(comp, diagnostics)
    err, _ = diagram.SEVERITY_STYLE["error"]
    warn, _ = diagram.SEVERITY_STYLE["warning"]
    checkout = next(line for line in src.splitlines() if "<B>Checkout</B>" in line)
    assert f'color="{err}"' in checkout and "C001, C003, X003" in checkout
    ad = next(line for line in src.splitlines() if "<B>Launch ad</B>" in line)
    assert f'color="{warn}"' in ad and "X005" in ad
    assert "F002" in src and "M003" in src and "M006, X004" in src
    plain = dot.to_dot(comp)
    assert "F002" not in plain and "\u2716" not in plain and "penwidth=3.5" not in plain


# -- hostile text ------------------------------------------------------------------


def _strip_html_labels(src: str) -> str:
    """DOT text without its HTML-like labels (`<...>` with nesting)."""
    out, depth, i = [], 0, 0
    while i < len(src):
        c = src[i]
        if depth == 0 and src.startswith("=<", i):
            out.append("=")
            depth, i = 1, i + 2
            continue
        if depth:
            depth += c == "<"
            depth -= c == ">"
        else:
            out.append(c)
        i += 1
    return "".join(out)


def test_hostile_text_goes_only_into_labels():
    comp, _ = compile_input(HOSTILE)
    src = dot.to_dot(comp)
    outside = _strip_html_labels(src)
    for word in ("alert", "onerror", "bold", "TABLE", "javascript", "quoted", "backslash", "%%", "-->", '"hi"'):
        assert word not in outside, word
    ids = set(re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_]*) \[", outside, re.M))
    assert ids <= {"graph", "node", "edge"} | {f"t{i}" for i in range(1, 100)} | {f"s{i}" for i in range(1, 100)}
    assert set(re.findall(r"subgraph (\S+) \{", outside)) <= {f"cluster_j{i}" for i in range(1, 9)} | {
        f"cluster_s{i}" for i in range(1, 100)}


@needs_dot
def test_hostile_dot_renders_without_warnings_and_svg_is_inert(tmp_path):
    comp, diagnostics = compile_input(HOSTILE)
    for annotate in (False, True):
        src = dot.to_dot(comp, diagnostics if annotate else None)
        proc = subprocess.run(["dot", "-Tsvg"], input=src.encode(), capture_output=True)
        assert proc.returncode == 0 and proc.stderr == b"", proc.stderr.decode()
        check_svg_inert(proc.stdout)


GRAPHVIZ_SVG_ELEMENTS = {"svg", "g", "title", "polygon", "path", "ellipse", "text", "polyline", "defs"}


def check_svg_inert(svg: bytes) -> None:
    """No script, no element and no link from user text; every hostile
    string is there, literally, as text."""
    root = ET.fromstring(svg)
    tags = set()
    texts = []
    for el in root.iter():
        tag = el.tag.split("}")[-1]
        tags.add(tag)
        for name, value in el.attrib.items():
            local = name.split("}")[-1].lower()
            assert not local.startswith("on"), (tag, name)
            assert local not in ("href", "src"), (tag, name, value)
            assert "javascript:" not in value.lower(), (tag, name, value)
        if tag == "text":
            texts.append(el.text or "")
    assert tags <= GRAPHVIZ_SVG_ELEMENTS, tags - GRAPHVIZ_SVG_ELEMENTS
    assert b"<script" not in svg and b"<a " not in svg and b"<img" not in svg and b"<foreignObject" not in svg
    joined = " ".join(texts)  # a long title is wrapped at spaces over several <text>s
    for text in HOSTILE_TEXTS:
        assert text in joined, f"{text!r} not shown literally in: {joined[:3000]}"
    # a newline in a title is a line break: both lines are there
    assert "first line" in texts and "second line" in texts


@needs_dot
def test_svg_png_pdf_through_the_cli(tmp_path):
    magic = {"svg": b"<?xml", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}
    for fmt, head in magic.items():
        out = tmp_path / f"hostile.{fmt}"
        proc = run_journeyc(["compile", HOSTILE, "--format", fmt, "-o", out, "--annotate"])
        assert proc.returncode == 0, proc.stderr.decode()
        assert proc.stderr == b""
        data = out.read_bytes()
        assert data.startswith(head), data[:16]
        if fmt == "svg":
            check_svg_inert(data)
    assert b"%%EOF" in (tmp_path / "hostile.pdf").read_bytes()[-32:]
    png = (tmp_path / "hostile.png").read_bytes()
    assert png[12:16] == b"IHDR" and int.from_bytes(png[16:20], "big") > 200


@needs_dot
def test_binary_formats_to_a_pipe_but_not_to_a_terminal(tmp_path):
    proc = run_journeyc(["compile", "specs/saas.journey", "--format", "png"], cwd=REPO)
    assert proc.returncode == 0 and proc.stdout.startswith(b"\x89PNG")
    import pty

    main_fd, sub_fd = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "journeyc", "compile", "specs/saas.journey", "--format", "pdf"],
                              cwd=REPO, stdout=sub_fd, stderr=subprocess.PIPE)
    finally:
        os.close(sub_fd)
        os.close(main_fd)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and "terminal" in err and "-o" in err and "Traceback" not in err


def test_missing_dot_is_one_line_and_exit_2(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    # (`report` without Graphviz writes the page without diagrams: tests/outputs/test_report.py)
    for args in (["compile", HOSTILE, "--format", "svg", "-o", tmp_path / "x.svg"],
                 ["compile", HOSTILE, "--format", "png", "-o", tmp_path / "x.png"]):
        proc = run_journeyc(args, env={"PATH": str(empty)})
        err = proc.stderr.decode()
        assert proc.returncode == 2, err
        assert err.count("\n") == 1, err
        assert "apt-get install graphviz" in err and "dot" in err and "Traceback" not in err
        assert not list(tmp_path.glob("x.*"))
    # DOT text itself needs no Graphviz program
    proc = run_journeyc(["compile", HOSTILE, "--format", "dot"], env={"PATH": str(empty)})
    assert proc.returncode == 0 and proc.stdout.startswith(b"digraph")


def test_dot_failure_is_one_line(monkeypatch, tmp_path):
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(journeyc.load.JourneycError, match="dot failed to render svg: Error: something broke"):
        dot.render("digraph {}", "svg")


# -- the CLI around it -------------------------------------------------------------


def test_compile_errors_write_nothing(tmp_path):
    bad = write(tmp_path, "bad.journey", 'journey j "J" { stage a { -> nowhere } }\n')
    out = tmp_path / "out.dot"
    out.write_text("old")
    proc = run_journeyc(["compile", bad, "--format", "dot", "-o", out])
    assert proc.returncode == 1 and b"E002" in proc.stderr
    assert out.read_text() == "old"


def test_annotate_needs_a_diagram_format_and_other_usage_errors(tmp_path):
    for args in (["--format", "json", "--annotate"], ["--format", "mermaid-journey", "--annotate"],
                 ["--format", "dot", "--with-locations"], ["--format", "dot", "--watch"],
                 ["--format", "dot", "--config", "x.toml"]):
        proc = run_journeyc(["compile", HOSTILE, *args])
        assert proc.returncode == 2, (args, proc.stderr)
        assert b"Traceback" not in proc.stderr


def test_several_roots_into_a_folder_use_the_format_extension(tmp_path):
    for name in ("a", "b"):
        write(tmp_path / "in", f"{name}.journey", f'journey {name} "{name}" {{ stage s {{ }} }}\n')
    out = tmp_path / "out"
    out.mkdir()
    for fmt, ext in (("dot", "dot"), ("mermaid", "mmd"), ("mermaid-journey", "journey.mmd")):
        proc = run_journeyc(["compile", tmp_path / "in", "--format", fmt, "-o", out])
        assert proc.returncode == 0, proc.stderr.decode()
        assert (out / f"a.{ext}").exists() and (out / f"b.{ext}").exists()


def test_every_user_string_is_escaped_by_esc():
    for text in HOSTILE_TEXTS + ["a\\", "\\N", "x\x00y\x1b[31m", "line\nbreak"]:
        e = dot.esc(text)
        assert "<" not in e.replace('<BR ALIGN="LEFT"/>', "") and ">" not in e.replace('<BR ALIGN="LEFT"/>', "")
        assert '"' not in e.replace('<BR ALIGN="LEFT"/>', "")
        assert "\x00" not in e and "\x1b" not in e
        assert re.fullmatch(r"(\\\\|[^\\])*", e), e  # every backslash doubled


@needs_dot
def test_readme_diagram_comes_from_the_command_the_readme_shows(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "journeyc compile specs/saas.journey --format svg -o docs/saas.svg"
    assert command in readme and "](docs/saas.svg)" in readme
    out = tmp_path / "saas.svg"
    proc = run_journeyc(command.split()[1:-1] + [out], cwd=REPO)
    assert proc.returncode == 0, proc.stderr.decode()

    def texts(svg: bytes) -> list[str]:
        return [el.text or "" for el in ET.fromstring(svg).iter() if el.tag.endswith("}text")]

    # the same drawing (coordinates may differ with the Graphviz version and fonts)
    assert texts(out.read_bytes()) == texts((REPO / "docs" / "saas.svg").read_bytes()), \
        "docs/saas.svg is stale: run the README's command"


# -- any title at all ----------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NASTY = st.lists(st.sampled_from(list('<>&"\'\\#%;:,|[](){}`$*_~-=.!?/@^ \n\tab]') + [
    "\u202e", "\u0000", "\ufffe", "\U0001f600", "\u00e9", "\u2028", "\ufb02", "\u00b0", "\u00b6", "\u00df",
    "\\N", "\\G", "&#60;", "#lt;", "%%", "-->", "end", "<br>", "]]>", "<!--", "]", "]]"]), max_size=20).map("".join)


def journey_with_titles(title: str) -> str:
    """A spec whose every title and label is `title`."""
    lit = title.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    lit = "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in lit)
    return (f'owner o "{lit}"\npersona p "{lit}"\nkpi k "{lit}" {{ target >= 3 source third_party "{lit}" }}\n'
            f'journey j "{lit}" {{ owner o promise "{lit}"\n'
            f'  stage a "{lit}" {{ measure k touchpoint t "{lit}" {{ channel web audience p score 2 }} -> b "{lit}" }}\n'
            f'  stage b "{lit}" {{ phase conversion touchpoint r "{lit}" {{ channel sms recovery }} }}\n'
            f'  stage c "{lit}" {{ -> a "{lit}" -> c "{lit}" }}\n}}\n')


def compile_titles(title: str):
    comp, diagnostics = journeyc.compile_source(journey_with_titles(title), filename="/tmp/any-title.journey")
    assert comp is not None, [d.message for d in diagnostics]
    return comp, diagnostics


@needs_dot
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NASTY)
def test_dot_accepts_any_title_without_warnings(title):
    comp, diagnostics = compile_titles(title)
    src = dot.to_dot(comp, diagnostics)
    proc = subprocess.run(["dot", "-Tsvg"], input=src.encode(), capture_output=True)
    assert proc.returncode == 0 and proc.stderr == b"", (title, proc.stderr.decode())
    root = ET.fromstring(proc.stdout)
    assert {el.tag.split("}")[-1] for el in root.iter()} <= GRAPHVIZ_SVG_ELEMENTS


def test_annotate_places_c005_and_c006_even_in_copy_files(tmp_path):
    import journeyc

    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "mail.html").write_text("<p>Refunds\n  within <b>14 days</b>.</p>", encoding="utf-8")
    spec = tmp_path / "j.journey"
    spec.write_text('fact refund_window = 30 days { phrase "refund" }\njourney j { stage s {\n'
                    '  touchpoint mail { channel email message from "copy/mail.html" }\n'
                    '  touchpoint a { channel web message "Start your 14-day free trial" }\n'
                    '  touchpoint b { channel web message "Start your 30-day free trial" }\n} }\n', encoding="utf-8")
    comp, diagnostics = journeyc.compile_file(spec)
    placed = diagram.place_findings(comp, diagnostics)
    tps = {t.id.text: t for s in comp.journeys[0].stages for t in s.touchpoints}
    assert [d.code for d in placed.of_touchpoint(tps["mail"]) if d.code.startswith("C")] == ["C005"]
    assert [d.code for d in placed.of_touchpoint(tps["b"]) if d.code.startswith("C")] == ["C006"]
    src = dot.to_dot(comp, diagnostics)
    assert "C005" in src and "C006" in src
