"""`journeyc check` drops the syntax trees once every model is built
(compiler.check_roots(release_syntax=True)): the same diagnostics, less
memory held while linting and printing."""
from __future__ import annotations

from conftest import SPECS, write

from journeyc.compiler import run_check
from journeyc.load import Session


def test_release_keeps_the_result_and_drops_the_trees(tmp_path):
    write(tmp_path, "broken.journey", 'import "specs.journey"\njourney b { stage s { }\n')
    for paths in ([str(SPECS)], [str(SPECS / "saas.journey")], [str(tmp_path)]):
        kept = run_check(paths, Session())
        released = run_check(paths, Session(), release_syntax=True)
        assert released.diagnostics == kept.diagnostics
        assert released.texts == kept.texts
        for r in released.results:
            if r.compilation is not None:
                assert all(m.file.blocks == () and m.file.text for m in r.compilation.modules)
        assert any(r.compilation is not None for r in kept.results) or paths == [str(tmp_path)]
    with_errors = run_check([str(tmp_path)], Session(), release_syntax=True)
    assert any(d.code == "E001" for d in with_errors.diagnostics)
