"""JUnit XML, as CI servers (Jenkins, GitLab, Azure Pipelines) show test
results: a testsuite per file of the run, a testcase per rule, a failure
per diagnostic.

A linted file gets a testcase for every enabled lint rule (passing when the
rule found nothing there), plus one for each compile error code found in
it. In a file whose compilation has compile errors the lint rules did not
run: their testcases are marked skipped."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from . import Report

# Characters XML 1.0 cannot hold, shown as \\xNN instead.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def render_junit(report: Report) -> str:
    from ..codes import COMPILE_ERRORS
    from ..lint.rules import RULES

    names = {r.code: r.name for r in list(RULES) + list(COMPILE_ERRORS)}
    by_file: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for d in report.diagnostics:
        by_file[d.span.file][d.code].append(d)
    files = sorted(set(report.files) | set(by_file))
    suites = ET.Element("testsuites", name="journeyc")
    total_tests = total_failures = total_skipped = 0
    for file in files:
        found = by_file.get(file, {})
        codes = [c for c in report.enabled]
        codes += sorted(c for c in found if c not in report.enabled)
        suite = ET.SubElement(suites, "testsuite", name=_clean(file))
        tests = failures = skipped = 0
        for code in codes:
            case = ET.SubElement(suite, "testcase", name=f"{code} {names.get(code, '')}".strip(),
                                 classname=_clean(file))
            tests += 1
            diags = found.get(code, [])
            if not diags and not code.startswith("E") and file not in report.linted:
                ET.SubElement(case, "skipped", message="not linted: the compilation has compile errors")
                skipped += 1
                continue
            for d in diags:
                s = d.span
                body = f"{s.file}:{s.line}:{s.column}: {d.severity} {d.code} {d.message}"
                if d.suggestion:
                    body += f"\nhelp: {d.suggestion}"
                for r in d.related:
                    body += f"\nnote: {r.message} at {r.span.file}:{r.span.line}:{r.span.column}"
                failure = ET.SubElement(case, "failure", message=_clean(d.message), type=d.severity)
                failure.text = _clean(body)
            if diags:
                failures += 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        total_tests += tests
        total_failures += failures
        total_skipped += skipped
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("errors", "0")
    suites.set("skipped", str(total_skipped))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
