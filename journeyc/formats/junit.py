"""JUnit XML, as CI servers (Jenkins, GitLab, Azure Pipelines) show test
results; valid against the Jenkins xunit plugin's `junit-10.xsd`.

A testsuite per file of the run, and in it a testcase per diagnostic, named
by its code and location (`C001 contradictory-claims at specs/a.journey:5:55`).
Only diagnostics at or above `--fail-on` (and every compile error) are
failures; the others are passing testcases whose text is in
`<system-out>`, so a run that exits 0 shows no failed test. A linted file
also gets a passing testcase for every enabled lint rule that found nothing
in it; in a file whose compilation has compile errors the lint rules did not
run: their testcases are skipped.

`tests`, `failures`, `errors` and (on a testsuite) `skipped` count
testcases, so every reader agrees on them; `<testsuites>` has no `skipped`
(the schema does not allow it). Characters XML 1.0 cannot hold are shown as
`\\xNN`, and a carriage return is written `&#13;` so that XML parsers keep it."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from ..diagnostics import SEVERITY_RANK
from . import Report

# Characters XML 1.0 cannot hold, shown as \\xNN instead.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def fails(d, fail_on: str) -> bool:
    """Whether the diagnostic makes the run fail (journeyc.commands.exit_code's rule)."""
    if d.is_compile_error:
        return True
    return fail_on != "never" and SEVERITY_RANK[d.severity] >= SEVERITY_RANK[fail_on]


def _body(d) -> str:
    s = d.span
    body = f"{s.file}:{s.line}:{s.column}: {d.severity} {d.code} {d.message}"
    if d.suggestion:
        body += f"\nhelp: {d.suggestion}"
    for r in d.related:
        body += f"\nnote: {r.message} at {r.span.file}:{r.span.line}:{r.span.column}"
    return _clean(body)


def render_junit(report: Report) -> str:
    from ..codes import COMPILE_ERRORS
    from ..lint.rules import RULES

    names = {r.code: r.name for r in list(RULES) + list(COMPILE_ERRORS)}
    by_file: dict[str, list] = defaultdict(list)
    for d in report.diagnostics:
        by_file[d.span.file].append(d)
    files = sorted(set(report.files) | set(by_file))
    suites = ET.Element("testsuites", name="journeyc")
    total_tests = total_failures = 0
    for file in files:
        found = by_file.get(file, [])
        suite = ET.SubElement(suites, "testsuite", name=_clean(file))
        tests = failures = skipped = 0
        for d in found:
            s = d.span
            case = ET.SubElement(suite, "testcase", name=_clean(f"{d.code} {d.name} at {s.file}:{s.line}:{s.column}"),
                                 classname=_clean(file))
            tests += 1
            if fails(d, report.fail_on):
                failure = ET.SubElement(case, "failure", message=_clean(d.message), type=d.severity)
                failure.text = _body(d)
                failures += 1
            else:
                ET.SubElement(case, "system-out").text = _body(d)
        reported = {d.code for d in found}
        for code in report.enabled:
            if code in reported:
                continue
            case = ET.SubElement(suite, "testcase", name=f"{code} {names.get(code, '')}".strip(),
                                 classname=_clean(file))
            tests += 1
            if file not in report.linted:
                ET.SubElement(case, "skipped", message="not linted: the compilation has compile errors")
                skipped += 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        total_tests += tests
        total_failures += failures
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("errors", "0")
    ET.indent(suites)
    # ElementTree escapes a carriage return in attributes, not in text
    text = ET.tostring(suites, encoding="unicode").replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"
