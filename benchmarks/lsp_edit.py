"""How fast `journeyc lsp` updates diagnostics after one edit of a
2,000-line file (goal: under 200 ms, debounce included).

    python benchmarks/lsp_edit.py            # a 2,000-line file, 15 edits
    python benchmarks/lsp_edit.py --quick    # 500 lines, 5 edits (CI)

A pygls client starts `python -m journeyc lsp` over standard input and
output, opens a generated spec (benchmarks/generate.py, with its catalogue
import), then edits one touchpoint's score at a time (an incremental
change) and times each edit from the `didChange` notification to the
`publishDiagnostics` of that version. The baseline, measured in the same
run, is the same check in-process (journeyc.compile_source: parse, resolve,
lint of the same text), so the ratio shows what the server adds (JSON-RPC,
the debounce, positions). Medians; nothing is asserted. Prints a table and
writes benchmarks/out/lsp-edit.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

GOAL_MS = 200


def spec_of_lines(folder: Path, lines: int) -> Path:
    """A generated spec of about `lines` lines."""
    touchpoints = 10
    while True:
        path = generate.generate(folder, touchpoints)
        count = path.read_text(encoding="utf-8").count("\n")
        if count >= lines:
            return path
        touchpoints = max(touchpoints + 1, int(touchpoints * lines / max(count, 1)))


async def measure(path: Path, edits: int, debounce_ms: float | None) -> dict:
    from lsprotocol import types as T
    from pygls.lsp.client import LanguageClient
    from pygls.uris import from_fs_path

    client = LanguageClient("journeyc-bench", "1")
    published: asyncio.Queue = asyncio.Queue()

    @client.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on(params):
        published.put_nowait((time.perf_counter(), params))

    await client.start_io(sys.executable, "-m", "journeyc", "lsp")
    options = {} if debounce_ms is None else {"debounce": debounce_ms}
    await client.initialize_async(T.InitializeParams(capabilities=T.ClientCapabilities(),
                                                     root_uri=from_fs_path(str(path.parent)),
                                                     initialization_options=options))
    client.initialized(T.InitializedParams())
    text = path.read_text(encoding="utf-8")
    uri = from_fs_path(str(path))
    t0 = time.perf_counter()
    client.text_document_did_open(T.DidOpenTextDocumentParams(T.TextDocumentItem(uri=uri, language_id="journey",
                                                                                 version=1, text=text)))
    t1, first = await asyncio.wait_for(published.get(), 120)
    open_ms = (t1 - t0) * 1000
    lines = text.split("\n")
    scored = [i for i, line in enumerate(lines) if "score " in line]
    latencies = []
    for n in range(edits):
        row = scored[(n * 7919) % len(scored)]
        col = lines[row].index("score ") + len("score ")
        old = lines[row][col]
        new = "4" if old != "4" else "3"
        lines[row] = lines[row][:col] + new + lines[row][col + 1:]
        version = n + 2
        t0 = time.perf_counter()
        client.text_document_did_change(T.DidChangeTextDocumentParams(
            T.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [T.TextDocumentContentChangePartial(range=T.Range(T.Position(row, col), T.Position(row, col + 1)),
                                                text=new)]))
        while True:
            t1, params = await asyncio.wait_for(published.get(), 120)
            if params.version == version:
                break
        latencies.append((t1 - t0) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return {"open_ms": open_ms, "edit_ms": latencies, "diagnostics": len(first.diagnostics)}


def in_process_ms(path: Path, runs: int) -> float:
    import journeyc

    text = path.read_text(encoding="utf-8")
    journeyc.compile_source(text, str(path))  # warm: imports, parser tables
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        journeyc.compile_source(text, str(path))
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="500 lines, 5 edits")
    ap.add_argument("--lines", type=int, default=None)
    ap.add_argument("--edits", type=int, default=None)
    ap.add_argument("--output", type=Path, default=HERE / "out" / "lsp-edit.json")
    args = ap.parse_args()
    lines = args.lines or (500 if args.quick else 2000)
    edits = args.edits or (5 if args.quick else 15)
    with tempfile.TemporaryDirectory(prefix="journeyc-lsp-bench-") as tmp:
        path = spec_of_lines(Path(tmp), lines)
        actual_lines = path.read_text(encoding="utf-8").count("\n")
        served = asyncio.run(measure(path, edits, None))
        immediate = asyncio.run(measure(path, edits, 0))
        baseline = in_process_ms(path, max(5, edits // 2))
    edit = statistics.median(served["edit_ms"])
    edit0 = statistics.median(immediate["edit_ms"])
    rows = [
        ("file", f"{actual_lines} lines, {served['diagnostics']} diagnostics", ""),
        ("open -> diagnostics", f"{served['open_ms']:.0f} ms", ""),
        ("one edit -> diagnostics (default debounce, 50 ms)", f"{edit:.0f} ms (max {max(served['edit_ms']):.0f})",
         f"< {GOAL_MS} ms"),
        ("one edit -> diagnostics (no debounce)", f"{edit0:.0f} ms", ""),
        ("baseline: compile_source in-process", f"{baseline:.0f} ms", ""),
        ("no-debounce edit / baseline", f"{edit0 / baseline:.2f}x", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"journeyc lsp: one edit (medians of {edits} edits)")
    for name, value, goal in rows:
        print(f"  {name:<{width}}  {value:<28} {goal}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({
        "lines": actual_lines, "edits": edits, "open_ms": served["open_ms"], "edit_ms": served["edit_ms"],
        "edit_ms_no_debounce": immediate["edit_ms"], "baseline_ms": baseline, "goal_ms": GOAL_MS,
        "median_edit_ms": edit, "ratio_no_debounce_to_baseline": edit0 / baseline}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
