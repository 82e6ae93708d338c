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
from typing import Any

from .diagnostics import SEVERITIES
from .load import JourneycError

CONFIG_FILE = "journeyc.toml"
PYPROJECT = "pyproject.toml"
FAIL_ON = ("error", "warning", "info", "never")
KEYS = ("select", "ignore", "fail-on", "severity", "per-file-ignores", "rules")


class ConfigError(JourneycError):
    """A bad configuration file or option value (exit 2)."""


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
                 options: tuple[tuple[str, str, Any], ...] = ()):
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
            from .build import closest
            from .wording import did_you_mean_phrase

            best = closest(v.upper(), codes)
            hint = f" ({did_you_mean_phrase(best)})" if best else ""
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

_GLOB_CACHE: dict[str, re.Pattern] = {}


def glob_regex(pattern: str) -> re.Pattern:
    """`*` and `?` within one path segment, `**` across segments, `[...]`
    classes. A pattern without `/` matches a file name in any folder."""
    rx = _GLOB_CACHE.get(pattern)
    if rx is not None:
        return rx
    p = pattern.replace("\\", "/")
    if p.startswith("./"):
        p = p[2:]
    out = [] if "/" in p.rstrip("/") else ["(?:.*/)?"]
    i = 0
    while i < len(p):
        c = p[i]
        if p.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif p.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = p.find("]", i + 2)
            if j < 0:
                out.append(re.escape(c))
                i += 1
            else:
                body = p[i + 1:j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    rx = re.compile("".join(out).rstrip("/") + r"\Z")
    _GLOB_CACHE[pattern] = rx
    return rx


def glob_matches(pattern: str, rel_path: str) -> bool:
    """Whether `pattern` matches the path or one of the folders holding it."""
    rx = glob_regex(pattern)
    if rx.match(rel_path):
        return True
    parts = rel_path.split("/")
    return any(rx.match("/".join(parts[:i])) for i in range(1, len(parts)))


# -- reading -----------------------------------------------------------------------

def find_config(start: str) -> str | None:
    """The nearest journeyc.toml, or pyproject.toml with [tool.journeyc],
    from `start` (a file's folder, or a folder) upward."""
    folder = os.path.abspath(start)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        candidate = os.path.join(folder, CONFIG_FILE)
        if os.path.isfile(candidate):
            return candidate
        candidate = os.path.join(folder, PYPROJECT)
        if os.path.isfile(candidate) and _has_tool_table(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_tool_table(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return False
    if b"journeyc" not in data:
        return False
    return "journeyc" in _parse_toml(path, data).get("tool", {})


def _parse_toml(path: str, data: bytes) -> dict:
    import tomllib

    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from None


def load_config(path: str) -> Config:
    """Read a journeyc.toml, or the [tool.journeyc] table of a pyproject.toml."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the configuration: {e.strerror or e}") from None
    doc = _parse_toml(path, data)
    if os.path.basename(path) == PYPROJECT:
        table = doc.get("tool", {}).get("journeyc")
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
            from .build import closest
            from .wording import did_you_mean_phrase

            best = closest(key, KEYS)
            hint = f" ({did_you_mean_phrase(best)})" if best else ""
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
