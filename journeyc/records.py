"""`Record`: immutable records declared as `typing.NamedTuple`s are, made
the way `collections.namedtuple` makes them, at a fraction of the cost at
import.

    class Span(Record):
        file: str
        line: int
        end: Span | None = None  # a default: every later field needs one

The class is a `tuple` subclass with `__slots__ = ()`: each field is read by
a `_collections._tuplegetter` (as namedtuple's), an instance is made by a
`__new__` of the fields' names and defaults that calls `tuple.__new__` (as
namedtuple's, so an instance costs the same), and `_fields`,
`_field_defaults`, `_replace`, `_make`, `_asdict`, `__match_args__`,
`__getnewargs__` (pickling) and `__repr__` behave as namedtuple's.

Why not typing.NamedTuple or collections.namedtuple: both compile each
class's `__new__` from generated source when the module loads (about
0.15 ms a class; `typing` itself takes about 3 ms to import), a cost every
`journeyc check` paid at start for the model's and diagnostics' 40 classes.
Here `__new__` is one of the functions below, compiled once into this
module's bytecode, with its parameters renamed to the fields
(`CodeType.replace`): nothing is compiled at import.
"""

from operator import itemgetter

try:
    from _collections import _tuplegetter
except ImportError:  # another Python than CPython
    def _tuplegetter(index, doc):
        return property(itemgetter(index), doc=doc)

_tuple_new = tuple.__new__


# `__new__` for 0 to 26 fields: the names are replaced by the fields' (in
# _new_for); only the count of parameters matters here.
def _n0(_cls): return _tuple_new(_cls, ())
def _n1(_cls, a): return _tuple_new(_cls, (a,))
def _n2(_cls, a, b): return _tuple_new(_cls, (a, b))
def _n3(_cls, a, b, c): return _tuple_new(_cls, (a, b, c))
def _n4(_cls, a, b, c, d): return _tuple_new(_cls, (a, b, c, d))
def _n5(_cls, a, b, c, d, e): return _tuple_new(_cls, (a, b, c, d, e))
def _n6(_cls, a, b, c, d, e, f): return _tuple_new(_cls, (a, b, c, d, e, f))
def _n7(_cls, a, b, c, d, e, f, g): return _tuple_new(_cls, (a, b, c, d, e, f, g))
def _n8(_cls, a, b, c, d, e, f, g, h): return _tuple_new(_cls, (a, b, c, d, e, f, g, h))
def _n9(_cls, a, b, c, d, e, f, g, h, i): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i))
def _n10(_cls, a, b, c, d, e, f, g, h, i, j): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j))
def _n11(_cls, a, b, c, d, e, f, g, h, i, j, k): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k))
def _n12(_cls, a, b, c, d, e, f, g, h, i, j, k, l):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l))
def _n13(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m))
def _n14(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n))
def _n15(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o))
def _n16(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p))
def _n17(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q))
def _n18(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r))
def _n19(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s))
def _n20(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t))
def _n21(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u))
def _n22(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v))
def _n23(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w))
def _n24(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x))
def _n25(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x, y):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x, y))
def _n26(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x, y, z):  # noqa: E741
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x, y, z))


_TEMPLATES = (_n0, _n1, _n2, _n3, _n4, _n5, _n6, _n7, _n8, _n9, _n10, _n11, _n12, _n13, _n14, _n15, _n16, _n17,
              _n18, _n19, _n20, _n21, _n22, _n23, _n24, _n25, _n26)
_function = type(_n1)


def _new_for(typename: str, fields: tuple, defaults: tuple):
    """The `__new__` of a record: `_cls` and the fields as parameters, with
    the defaults of the last ones."""
    if len(fields) < len(_TEMPLATES):
        template = _TEMPLATES[len(fields)].__code__
        code = template.replace(co_varnames=("_cls",) + fields + template.co_varnames[len(fields) + 1:],
                                co_name="__new__", co_qualname=typename + ".__new__")
    else:  # more fields than templates: compiled, as namedtuple does
        names = ", ".join(fields)
        code = compile(f"def __new__(_cls, {names}): return _tuple_new(_cls, ({names},))", typename, "exec")
        code = next(c for c in code.co_consts if isinstance(c, type(code)))
    new = _function(code, globals(), "__new__", defaults or None)
    new.__doc__ = f"Create new instance of {typename}({', '.join(fields)})"
    return new


class _Methods(tuple):
    """What every record inherits besides tuple's (namedtuple's methods)."""

    __slots__ = ()
    _fields: tuple = ()

    @classmethod
    def _make(cls, iterable):
        """Make a new instance from a sequence or iterable."""
        result = _tuple_new(cls, iterable)
        if len(result) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
        return result

    def _replace(self, /, **kwds):
        """Return a new instance replacing the fields given with new values."""
        result = self._make(map(kwds.pop, self._fields, self))
        if kwds:
            raise ValueError(f"Got unexpected field names: {list(kwds)!r}")
        return result

    def __repr__(self):
        return f"{self.__class__.__name__}({', '.join(f'{n}={v!r}' for n, v in zip(self._fields, self))})"

    def _asdict(self):
        """Return a new dict which maps field names to their values."""
        return dict(zip(self._fields, self))

    def __getnewargs__(self):
        """Return self as a plain tuple (used by copy and pickle)."""
        return tuple(self)


# Field i's descriptor: the same for every record (it reads item i of a tuple).
_GETTERS = [_tuplegetter(i, f"Alias for field number {i}") for i in range(len(_TEMPLATES))]
_NOT_COPIED = frozenset(("__module__", "__qualname__", "__annotations__", "__doc__"))


class _RecordMeta(type):
    def __new__(mcls, typename, bases, ns):
        if bases == ():  # Record itself
            return type.__new__(mcls, typename, bases, ns)
        if bases != (Record,):
            raise TypeError(f"{typename}: a record's only base is Record")
        fields = tuple(ns.get("__annotations__", ()))
        defaults = []
        for name in fields:
            if name.startswith("_"):
                raise ValueError(f"{typename}: field names cannot start with an underscore: {name!r}")
            if name in ns:
                defaults.append(ns[name])
            elif defaults:
                raise TypeError(f"{typename}: field {name!r} without a default follows a field with one")
        defaults = tuple(defaults)
        body = {
            "__module__": ns.get("__module__"),
            "__qualname__": ns.get("__qualname__", typename),
            "__doc__": ns.get("__doc__") or f"{typename}({', '.join(fields)})",
            "__slots__": (),
            "__annotations__": ns.get("__annotations__", {}),
            "_fields": fields,
            "_field_defaults": dict(zip(fields[len(fields) - len(defaults):], defaults)),
            "__match_args__": fields,
            "__new__": _new_for(typename, fields, defaults),
        }
        for i, name in enumerate(fields):
            body[name] = _GETTERS[i] if i < len(_GETTERS) else _tuplegetter(i, f"Alias for field number {i}")
        for key, value in ns.items():
            if key not in _NOT_COPIED and key not in body:
                body[key] = value
        return type.__new__(type, typename, (_Methods,), body)


TYPE_CHECKING = False  # (typing is not imported: see above)
if TYPE_CHECKING:  # mypy reads a record as the typing.NamedTuple it behaves as
    from typing import NamedTuple as Record
else:
    class Record(metaclass=_RecordMeta):
        """The base to declare a record with (see the module's documentation);
        the class made is a tuple, not a Record."""
