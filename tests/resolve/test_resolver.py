"""The one resolver of paths written in journey files (journeyc.project.
resolve_file) and the text helpers every layer shares (journeyc.text)."""
from __future__ import annotations

import os

import pytest

from journeyc.project import Refusal, Target, resolve_file, target_path
from journeyc.text import folders_upward, plain_number, plural


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "proj"
    (root / "specs").mkdir(parents=True)
    (root / "specs" / "main.journey").write_text("")
    (root / "specs" / "lib.journey").write_text("")
    (root / "specs" / "folder").mkdir()
    (tmp_path / "outside.journey").write_text("")
    return root


def resolve(tree, name, kind="import", allow=False, **kw):
    importer = str(tree / "specs" / "main.journey")
    return resolve_file(importer, "specs/main.journey", name, None if allow else str(tree), kind, **kw)


def test_a_readable_file_inside_the_root_is_a_target(tree):
    found = resolve(tree, "lib.journey")
    assert isinstance(found, Target)
    assert (found.real, found.display) == (str(tree / "specs" / "lib.journey"), "specs/lib.journey")


@pytest.mark.parametrize("name, code, words", [
    ("/etc/passwd", "E010", "import of an absolute path '/etc/passwd' is refused"),
    ("C:lib.journey", "E010", "import of an absolute path"),
    ("a\x00b", "E004", "a path cannot hold a NUL character"),
    ("../../outside.journey", "E010", "outside the project root"),
    ("missing.journey", "E004", "cannot import 'missing.journey': specs/missing.journey does not exist"),
    ("folder", "E004", "specs/folder is a folder"),
])
def test_refusals(tree, name, code, words):
    found = resolve(tree, name)
    assert isinstance(found, Refusal)
    assert found.code == code and words in found.message


def test_copy_files_are_worded_as_copy_files(tree):
    assert resolve(tree, "/x.html", "copy file").message.startswith("copy file with an absolute path '/x.html'")
    assert resolve(tree, "gone.html", "copy file").message.startswith("cannot read copy file 'gone.html'")


def test_outside_the_root_is_allowed_on_request(tree):
    assert isinstance(resolve(tree, "../../outside.journey", allow=True), Target)


def test_links_are_followed_before_containment_is_judged(tree):
    os.symlink(tree.parent / "outside.journey", tree / "specs" / "link.journey")
    found = resolve(tree, "link.journey")
    assert isinstance(found, Refusal) and found.code == "E010" and found.real == str(tree.parent / "outside.journey")


def test_a_fifo_is_refused_and_recorded_as_absent(tree):
    os.mkfifo(tree / "specs" / "pipe.journey")
    found = resolve(tree, "pipe.journey")
    assert isinstance(found, Refusal) and found.code == "E004" and found.absent == "is not a regular file"


def test_known_files_and_another_disk_are_asked_as_told(tree):
    asked = []

    def readable(real):
        asked.append(real)
        return "is gone in that revision"

    found = resolve(tree, "lib.journey", readable=readable)
    assert isinstance(found, Refusal) and found.absent == "is gone in that revision"
    assert isinstance(resolve(tree, "missing.journey", known=lambda real: True), Target)


def test_target_path_is_none_where_no_path_can_be(tree):
    assert target_path(str(tree / "a.journey"), "/abs") is None
    assert target_path(str(tree / "a.journey"), "x\x00") is None
    assert target_path(str(tree / "a.journey"), "b.journey") == str(tree / "b.journey")


def test_folders_upward(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f.journey").write_text("")
    walk = list(folders_upward(str(tmp_path / "a" / "b" / "f.journey")))
    assert walk[:3] == [str(tmp_path / "a" / "b"), str(tmp_path / "a"), str(tmp_path)]
    assert walk[-1] == os.path.abspath(os.sep)


def test_plural_and_plain_number():
    assert (plural(1, "file"), plural(2, "file"), plural(0, "entry", "entries")) == ("1 file", "2 files", "0 entries")
    assert [plain_number(v) for v in (3, 2.0, 0.5, 1e20, 1e-7)] == ["3", "2", "0.5", "100000000000000000000",
                                                                    "0.0000001"]
