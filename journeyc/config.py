"""Configuration (CLI.md, Configuration): `journeyc.toml`, or the
`[tool.journeyc]` table of `pyproject.toml`, found upward from the first path
of the run, or named with `--config`.

    select = ["ALL"]                  # lint codes or prefixes ("M", "C00", "C001") or ALL
    ignore = ["X004"]
    fail-on = "warning"               # error | warning | info | never
    [severity]                        # code or prefix -> error | warning | info
    M004 = "error"
    [per-file-ignores]                # glob (relative to the config file's folder) -> codes
    "legacy/**/*.journey" = ["F001"]
    [rules.C004]                      # rule options
    max-messages = 3

Selection works like ruff's: a code is enabled when the most specific
`select` entry matching it is more specific than the most specific `ignore`
entry matching it (so `select = ["M001"]` with `ignore = ["M"]` keeps M001).
`--select` on the command line replaces `select`; `--ignore` adds to
`ignore`. Anything unknown (a key, a code, an option, a value) is an error
that names it: journeyc exits 2."""
from __future__ import annotations

import os
import re

from .diagnostics import SEVERITIES
from .errors import ConfigError, JourneycError  # noqa: F401  (ConfigError: imported from here too)

CONFIG_FILE = "journeyc.toml"
PYPROJECT = "pyproject.toml"
FAIL_ON = ("error", "warning", "info", "never")
KEYS = ("select", "ignore", "fail-on", "severity", "per-file-ignores", "rules")


def _rules():
    from .lint.rules import RULES

    return RULES


class Config:
    """A lint configuration: `load_config` reads one, `with_cli` applies the
    command line to it. Not changed once made; answers are memoised."""

    __slots__ = ("source", "base", "select", "ignore", "fail_on", "severity", "per_file_ignores", "options",
                 "_memo")

    def __init__(self, source: str | None = None, base: str | None = None, select: tuple[str, ...] = ("ALL",),
                 ignore: tuple[str, ...] = (), fail_on: str | None = None,
                 severity: tuple[tuple[str, str], ...] = (),
                 per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
                 options: tuple[tuple[str, str, object], ...] = ()):
        self.source = source  # the file it was read from
        self.base = os.getcwd() if base is None else base  # per-file-ignores globs are relative to this folder
        self.select = select
        self.ignore = ignore
        self.fail_on = fail_on
        self.severity = severity  # (selector, severity)
        self.per_file_ignores = per_file_ignores  # (glob, selectors)
        self.options = options  # (code, option, value)
        self._memo: dict = {}

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__[:-1])
        return f"Config({fields})"

    # -- questions the engine asks ------------------------------------------------
    def selected(self, code: str) -> bool:
        key = ("selected", code)
        if key not in self._memo:
            if not any(r.code == code for r in _rules()):  # a compile error, or no rule at all
                self._memo[key] = False
                return False
            sel = max((_specificity(s, code) for s in self.select), default=-1)
            ign = max((_specificity(s, code) for s in self.ignore), default=-1)
            self._memo[key] = sel >= 0 and sel > ign
        return self._memo[key]

    def enabled(self, code: str, file: str) -> bool:
        """Whether lint rule `code` reports in `file` (select, ignore and
        per-file-ignores)."""
        if not self.selected(code):
            return False
        if not self.per_file_ignores:
            return True
        return code not in self._ignored_in(file)

    def _ignored_in(self, file: str) -> frozenset[str]:
        key = ("file", file)
        if key not in self._memo:
            rel = _relative(file, self.base)
            codes = {r.code for r in _rules()}
            off: set[str] = set()
            for pattern, selectors in self.per_file_ignores:
                if glob_matches(pattern, rel):
                    off |= {c for c in codes if any(_specificity(s, c) >= 0 for s in selectors)}
            self._memo[key] = frozenset(off)
        return self._memo[key]

    def severity_of(self, code: str, default: str) -> str:
        best, sev = -1, default
        for selector, value in self.severity:
            spec = _specificity(selector, code)
            if spec > best:
                best, sev = spec, value
        return sev

    def option(self, rule, name: str):
        for code, opt, value in self.options:
            if code == rule.code and opt == name:
                return value
        return rule.option(name).default

    def with_cli(self, select: str | None = None, ignore: str | None = None) -> "Config":
        """This configuration with `--select` (replaces) and `--ignore` (adds)."""
        changes: dict = {}
        if select is not None:
            changes["select"] = _selectors(_split(select), "--select")
        if ignore is not None:
            changes["ignore"] = self.ignore + _selectors(_split(ignore), "--ignore")
        if not changes:
            return self
        return Config(self.source, self.base, changes.get("select", self.select), changes.get("ignore", self.ignore),
                      self.fail_on, self.severity, self.per_file_ignores, self.options)


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def _specificity(selector: str, code: str) -> int:
    """-1 when `selector` does not match `code`; else how specific it is."""
    if selector == "ALL":
        return 0
    return len(selector) if code.startswith(selector) else -1


def _selectors(values, where: str) -> tuple[str, ...]:
    """Validate lint codes and prefixes."""
    codes = [r.code for r in _rules()]
    out = []
    for v in values:
        if not isinstance(v, str):
            raise ConfigError(f"{where}: expected rule codes as strings, got {v!r}")
        if v == "ALL":
            out.append(v)
            continue
        if re.fullmatch(r"E\d{0,3}", v):
            raise ConfigError(f"{where}: '{v}' is a compile error code; compile errors are always reported and "
                              "cannot be selected or ignored")
        if not re.fullmatch(r"[A-Z][0-9]{0,3}", v) or not any(c.startswith(v) for c in codes):
            from .text import did_you_mean

            hint = did_you_mean(v.upper(), codes)
            hint = f" ({hint})" if hint else ""
            raise ConfigError(f"{where}: unknown rule code or prefix '{v}'{hint}; `journeyc rules` lists them")
        out.append(v)
    return tuple(out)


def _relative(file: str, base: str) -> str:
    path = os.path.abspath(file)
    try:
        rel = os.path.relpath(path, base)
    except ValueError:  # another drive
        rel = path
    return rel.replace(os.sep, "/")


# -- globs --------------------------------------------------------------------------
#
# Globs are matched as POSIX fnmatch (with FNM_PATHNAME) defines them, plus
# `**`: `*` and `?` within one path segment, `**` across segments, bracket
# expressions `[...]` (`!` or `^` negates; a `]` first is literal; ranges;
# classes such as `[:digit:]`; a `[` without its `]` is literal). A pattern
# without `/` matches a file name in any folder. Matching simulates the
# pattern's automaton, one step per character of the path: time is at most
# the product of the two lengths, whatever the pattern (a regular expression
# could backtrack exponentially), and no `re` warning can arise.

class GlobError(ValueError):
    """A glob that cannot be matched (a reversed range)."""


_LIT, _ONE, _SET, _STAR, _ANY, _DIRS = range(6)  # token kinds
_CLASSES = {"alpha": str.isalpha, "digit": str.isdigit, "alnum": str.isalnum, "upper": str.isupper,
            "lower": str.islower, "space": str.isspace, "xdigit": lambda c: c in "0123456789abcdefABCDEF",
            "punct": lambda c: c.isascii() and c.isprintable() and not c.isalnum() and c != " ",
            "blank": lambda c: c in " \t", "print": str.isprintable,
            "cntrl": lambda c: not c.isprintable(), "graph": lambda c: c.isprintable() and c != " "}
_GLOB_CACHE: dict[str, tuple] = {}


def _bracket(p: str, i: int):
    """The bracket expression starting at p[i] == '[': (token, index after
    it), or None when it has no closing `]` (then `[` is literal)."""
    j = i + 1
    negate = j < len(p) and p[j] in "!^"
    if negate:
        j += 1
    chars: set[str] = set()
    ranges: list[tuple[str, str]] = []
    classes = []
    first = True
    while j < len(p):
        c = p[j]
        if c == "]" and not first:
            return (_SET, negate, frozenset(chars), tuple(ranges), tuple(classes)), j + 1
        first = False
        if c == "[" and p.startswith("[:", j):
            end = p.find(":]", j + 2)
            name = p[j + 2:end] if end >= 0 else None
            if name in _CLASSES:
                classes.append(_CLASSES[name])
                j = end + 2
                continue
        if j + 2 < len(p) and p[j + 1] == "-" and p[j + 2] != "]":
            low, high = c, p[j + 2]
            if low > high:
                raise GlobError(f"the range '{low}-{high}' in '{p[i:]}' is reversed: write '{high}-{low}'")
            ranges.append((low, high))
            j += 3
            continue
        chars.add(c)
        j += 1
    return None


def glob_tokens(pattern: str) -> tuple:
    """The tokens of a glob (GlobError for one that cannot match)."""
    tokens = _GLOB_CACHE.get(pattern)
    if tokens is not None:
        return tokens
    p = pattern.replace("\\", "/")
    if p.startswith("./"):
        p = p[2:]
    anywhere = "/" not in p.rstrip("/")
    p = p.rstrip("/")
    out: list = [(_DIRS,)] if anywhere else []
    i = 0
    while i < len(p):
        c = p[i]
        if p.startswith("**/", i):
            out.append((_DIRS,))
            i += 3
        elif p.startswith("**", i):
            out.append((_ANY,))
            i += 2
        elif c == "*":
            while p.startswith("*", i + 1) and not p.startswith("**", i + 1):
                i += 1
            out.append((_STAR,))
            i += 1
        elif c == "?":
            out.append((_ONE,))
            i += 1
        elif c == "[" and (found := _bracket(p, i)) is not None:
            out.append(found[0])
            i = found[1]
        else:
            out.append((_LIT, c))
            i += 1
    tokens = _GLOB_CACHE[pattern] = tuple(out)
    return tokens


def _in_set(token, c: str) -> bool:
    _, negate, chars, ranges, classes = token
    hit = c in chars or any(low <= c <= high for low, high in ranges) or any(f(c) for f in classes)
    return hit != negate


def _closure(tokens: tuple, states: set[int]) -> set[int]:
    """The states reachable without reading a character (a star may match
    nothing, an optional folder prefix may be absent). State i: before token
    i; state -1-i: inside the folder prefix of token i (a _DIRS), which only
    a `/` ends."""
    todo = list(states)
    while todo:
        i = todo.pop()
        if 0 <= i < len(tokens) and tokens[i][0] in (_STAR, _ANY, _DIRS) and i + 1 not in states:
            states.add(i + 1)
            todo.append(i + 1)
    return states


def glob_match(pattern: str, path: str) -> bool:
    """Whether the glob matches the whole of `path` (segments separated by `/`)."""
    tokens = glob_tokens(pattern)
    end = len(tokens)
    states = _closure(tokens, {0})
    for c in path:
        nxt: set[int] = set()
        for i in states:
            if i < 0:  # inside a folder prefix: anything, until a `/` ends it
                nxt.add(i)
                if c == "/":
                    nxt.add(-i)
                continue
            if i == end:
                continue
            t = tokens[i]
            kind = t[0]
            if kind == _LIT:
                if t[1] == c:
                    nxt.add(i + 1)
            elif kind == _ONE:
                if c != "/":
                    nxt.add(i + 1)
            elif kind == _SET:
                if c != "/" and _in_set(t, c):
                    nxt.add(i + 1)
            elif kind == _STAR:
                if c != "/":
                    nxt.add(i)
            elif kind == _ANY:
                nxt.add(i)
            else:  # _DIRS: `(anything/)?`
                nxt.add(-1 - i)
                if c == "/":
                    nxt.add(i + 1)
        if not nxt:
            return False
        states = _closure(tokens, nxt)
    return end in states


def glob_matches(pattern: str, rel_path: str) -> bool:
    """Whether `pattern` matches the path or one of the folders holding it."""
    if glob_match(pattern, rel_path):
        return True
    parts = rel_path.split("/")
    return any(glob_match(pattern, "/".join(parts[:i])) for i in range(1, len(parts)))


# -- reading -----------------------------------------------------------------------

def find_config(start: str) -> str | None:
    """The nearest journeyc.toml, or pyproject.toml with [tool.journeyc],
    from `start` (a file's folder, or a folder) upward. A journeyc.toml that
    is not a regular file (a folder, a FIFO) is an error, not passed over."""
    from .text import folders_upward

    for folder in folders_upward(start):
        candidate = os.path.join(folder, CONFIG_FILE)
        if os.path.isfile(candidate):
            return candidate
        if os.path.lexists(candidate):
            what = "a folder" if os.path.isdir(candidate) else "not a regular file"
            raise ConfigError(f"{candidate}: is {what}; expected a journeyc.toml file (rename or remove it)")
        candidate = os.path.join(folder, PYPROJECT)
        if os.path.isfile(candidate) and _has_tool_table(candidate):
            return candidate
    return None


MAX_CONFIG_BYTES = 16 * 2 ** 20
MAX_DEPTH = 32  # lists and tables nested deeper than this are no configuration


def _read(path: str) -> bytes:
    """The bytes of a configuration file. Only a regular file is read: a
    FIFO or a device could block for ever (it is opened without waiting,
    then refused)."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the configuration: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ConfigError(f"{path}: is a folder; expected a journeyc.toml or pyproject.toml file")
        if not stat.S_ISREG(st.st_mode):
            raise ConfigError(f"{path}: not a regular file (a FIFO or a device); expected a journeyc.toml or "
                              "pyproject.toml file")
        if st.st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: too large for a configuration ({st.st_size >> 20} MB)")
        with os.fdopen(fd, "rb", closefd=True) as f:
            fd = None
            return f.read()
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the configuration: {e.strerror or e}") from None
    finally:
        if fd is not None:
            os.close(fd)


def _has_tool_table(path: str) -> bool:
    try:
        data = _read(path)
    except ConfigError:
        return False  # not ours to judge: a pyproject.toml we cannot read has no journeyc table for us
    if b"journeyc" not in data:
        return False
    return _tool_table(path, _parse_toml(path, data)) is not None


def _tool_table(path: str, doc: dict):
    """The [tool.journeyc] table of a pyproject document (None if absent),
    each level checked to be a table."""
    tool = doc.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: tool: expected a table (such as [tool.journeyc]), got {_kind(tool)}")
    table = tool.get("journeyc")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: tool.journeyc: expected a table of settings ([tool.journeyc]), "
                          f"got {_kind(table)}")
    return table


def _kind(value) -> str:
    """A value's TOML type in words, for messages (never its whole text)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def _parse_toml(path: str, data: bytes) -> dict:
    import tomllib

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from None
    except RecursionError:  # tomllib recurses once per level of nesting
        raise ConfigError(f"{path}: {_deep_key(text)}: nested too deeply; expected at most {MAX_DEPTH} levels "
                          "of arrays and tables") from None
    _check_depth(path, doc)
    return doc


def _deep_key(text: str) -> str:
    """The key whose value opens many arrays or tables at once (for a
    document too deeply nested to parse)."""
    import re

    table = ""
    for line in text.splitlines():
        header = re.match(r"\s*\[([^\[\]]+)\]\s*(#.*)?$", line)
        if header:
            table = header.group(1).strip() + "."
            continue
        m = re.match(r"\s*([A-Za-z0-9_.\"'-]+)\s*=\s*(?:[\[{]\s*){%d}" % MAX_DEPTH, line)
        if m:
            return table + m.group(1)
    return "a value"


def _check_depth(path: str, doc: dict) -> None:
    """Refuse values nested more than MAX_DEPTH deep (iteratively: any
    depth tomllib could parse), naming the key."""
    stack = [(doc, "", 0)]
    while stack:
        value, key, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ConfigError(f"{path}: {key}: nested too deeply; expected at most {MAX_DEPTH} levels of arrays "
                              "and tables")
        if isinstance(value, dict):
            stack.extend((v, f"{key}.{k}" if key else str(k), depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, key, depth + 1) for v in value)


def load_config(path: str) -> Config:
    """Read a journeyc.toml, or the [tool.journeyc] table of a pyproject.toml."""
    doc = _parse_toml(path, _read(path))
    if os.path.basename(path) == PYPROJECT:
        table = _tool_table(path, doc)
        if table is None:
            raise ConfigError(f"{path}: no [tool.journeyc] table")
        prefix = "tool.journeyc."
    else:
        table, prefix = doc, ""
    return from_table(table, path, prefix)


def from_table(table: dict, source: str | None = None, prefix: str = "") -> Config:
    where = f"{source}: " if source else ""

    def key_error(key: str, why: str) -> ConfigError:
        return ConfigError(f"{where}{prefix}{key}: {why}")

    if not isinstance(table, dict):
        raise ConfigError(f"{where}the configuration must be a table")
    for key in table:
        if key not in KEYS:
            from .text import did_you_mean

            hint = did_you_mean(key, KEYS)
            hint = f" ({hint})" if hint else ""
            if key == "tool" and not prefix:
                hint = " (in journeyc.toml the settings stand at the top level, without [tool.journeyc])"
            raise key_error(key, f"unknown key{hint}; known keys: {', '.join(KEYS)}")

    def code_list(key: str, value) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise key_error(key, f"expected a list of rule codes, got {value!r}")
        return _selectors(value, f"{where}{prefix}{key}")

    select = code_list("select", table["select"]) if "select" in table else ("ALL",)
    ignore = code_list("ignore", table["ignore"]) if "ignore" in table else ()
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise key_error("fail-on", f"unknown value {fail_on!r}; expected one of {', '.join(FAIL_ON)}")

    severity = []
    sev_table = table.get("severity", {})
    if not isinstance(sev_table, dict):
        raise key_error("severity", "expected a table of rule code = severity")
    for code, value in sev_table.items():
        _selectors([code], f"{where}{prefix}severity.{code}")
        if value not in SEVERITIES:
            raise key_error(f"severity.{code}", f"unknown severity {value!r}; expected one of {', '.join(SEVERITIES)}")
        severity.append((code, value))

    pfi = []
    pfi_table = table.get("per-file-ignores", {})
    if not isinstance(pfi_table, dict):
        raise key_error("per-file-ignores", "expected a table of glob = [codes]")
    for pattern, codes in pfi_table.items():
        try:
            glob_tokens(pattern)
        except GlobError as e:
            raise key_error(f'per-file-ignores."{pattern}"', f"expected a glob: {e}") from None
        pfi.append((pattern, code_list(f'per-file-ignores."{pattern}"', codes)))

    options = []
    rules_table = table.get("rules", {})
    if not isinstance(rules_table, dict):
        raise key_error("rules", "expected a table of rule tables ([rules.C004])")
    from .lint.rules import by_code

    for code, opts in rules_table.items():
        rule = by_code(code)
        if rule is None:
            raise key_error(f"rules.{code}", f"unknown rule code '{code}'; `journeyc rules` lists them")
        if not isinstance(opts, dict):
            raise key_error(f"rules.{code}", "expected a table of options")
        for name, value in opts.items():
            try:
                option = rule.option(name)
            except KeyError:
                known = ", ".join(o.name for o in rule.options) or "none"
                raise key_error(f"rules.{code}.{name}", f"unknown option of {code} ({rule.name}); its options: "
                                                        f"{known}") from None
            try:
                options.append((code, name, option.parse(value)))
            except ValueError as e:
                raise key_error(f"rules.{code}.{name}", str(e)) from None

    base = os.path.dirname(os.path.abspath(source)) if source else os.getcwd()
    return Config(source, base, select, ignore, fail_on, tuple(severity), tuple(pfi), tuple(options))


def resolve_config(paths: list[str], config_path: str | None = None, isolated: bool = False) -> Config:
    """The configuration of a run: `--config`, else the nearest one above the
    first path, else the defaults."""
    if config_path is not None:
        return load_config(config_path)
    if isolated or not paths:
        return Config()
    found = find_config(paths[0])
    return load_config(found) if found else Config()
