"""`journeyc check` keeps no syntax tree whole and drops the models once
linted (compiler.check_roots(release_syntax=True)): the same diagnostics,
texts and file lists, less memory held while linting, caching and
printing."""
from __future__ import annotations

from conftest import SPECS, write

from journeyc.compiler import run_check
from journeyc.load import Session, load_text


def test_release_keeps_the_result_and_drops_the_trees_and_models(tmp_path):
    write(tmp_path, "broken.journey", 'import "specs.journey"\njourney b { stage s { }\n')
    for paths in ([str(SPECS)], [str(SPECS / "saas.journey")], [str(tmp_path)]):
        kept = run_check(paths, Session())
        session = Session()
        released = run_check(paths, session, release_syntax=True)
        assert released.diagnostics == kept.diagnostics
        assert released.texts == kept.texts
        assert (released.files, released.paths, released.linted, released.inputs) == \
            (kept.files, kept.paths, kept.linted, kept.inputs)
        assert released.results == [] and session.files == {}
        assert any(r.compilation is not None for r in kept.results) or paths == [str(tmp_path)]
    with_errors = run_check([str(tmp_path)], Session(), release_syntax=True)
    assert any(d.code == "E001" for d in with_errors.diagnostics)


def test_a_file_built_as_it_is_parsed_keeps_only_its_imports():
    for path in sorted(SPECS.glob("*.journey")):
        data = path.read_bytes()
        whole = load_text(data, str(path))
        streamed = load_text(data, str(path), keep_syntax=False)
        assert streamed.build_errors == whole.build_errors
        assert streamed.load_errors == whole.load_errors
        assert streamed.imports == whole.imports
        assert all(b.key == "import" for b in streamed.source.blocks)
        if whole.module is not None:
            assert streamed.module == whole.module._replace(file=streamed.source)
            assert streamed.source == whole.source._replace(blocks=streamed.source.blocks)


def test_a_file_with_a_syntax_error_keeps_its_whole_tree():
    text = 'owner a "A"\nowner b "B"\njourney j { stage s { } \n'
    whole = load_text(text, "f.journey")
    streamed = load_text(text, "f.journey", keep_syntax=False)
    assert streamed.module is None and streamed.load_errors == whole.load_errors
    assert streamed.source == whole.source and [b.kind for b in streamed.source.blocks] == ["owner", "owner"]
