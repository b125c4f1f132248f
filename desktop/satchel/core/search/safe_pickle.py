"""Opening Whoosh indexes without letting a planted pickle run code.

Whoosh stores its table of contents, segment lists and some posting data as pickles,
and every distribution unpickles them unguarded. We replace the `loads`/`load` that
Whoosh's modules use with an unpickler that resolves only classes defined in Whoosh
or in this package, plus a short list of harmless builtins. A crafted index then fails
to open (and is rebuilt from the database) instead of running its payload.
"""

from __future__ import annotations

import _compat_pickle
import io
import pickle
import re
from types import ModuleType
from typing import Any

_ALLOWED_PREFIXES = ("whoosh.", "satchel.core.search.")
_ALLOWED_GLOBALS = {
    ("builtins", name)
    for name in (
        "set", "frozenset", "dict", "list", "tuple", "object", "int", "float", "str",
        "bytes", "bytearray", "bool", "complex", "range", "slice", "type",
    )
} | {
    ("copyreg", "_reconstructor"),
    ("array", "array"),
    ("array", "_array_reconstructor"),
    ("collections", "defaultdict"),
    ("collections", "OrderedDict"),
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("re", "_compile"),
    ("_codecs", "encode"),
}  # fmt: skip


class UnsafeIndexError(pickle.UnpicklingError):
    """The index asked to load something other than Whoosh's own data."""


_RESOLVED: dict[tuple[str, str], Any] = {}  # names found allowed, and what they resolve to


class RestrictedUnpickler(pickle.Unpickler):
    """Resolves only Whoosh's classes (not its functions) and a few builtins."""

    def find_class(self, module: str, name: str) -> Any:
        # Index writes unpickle millions of postings that each name `_codecs.encode`:
        # an allowed name is checked once.
        found = _RESOLVED.get((module, name))
        if found is None:
            found = _RESOLVED[(module, name)] = self._checked_class(module, name)
        return found

    def _checked_class(self, module: str, name: str) -> Any:
        # Protocol-2 pickles (Whoosh writes some) use Python 2 names; map them the way
        # the standard unpickler would, before checking.
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        module = _compat_pickle.IMPORT_MAPPING.get(module, module)
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        if module.startswith(_ALLOWED_PREFIXES) and "." not in name:
            found = super().find_class(module, name)
            owner = getattr(found, "__module__", "") or ""
            # Only classes that really live there (not a re-exported os.system), and the
            # pure stemming functions a stem filter refers to.
            if isinstance(found, type) and owner.startswith(_ALLOWED_PREFIXES):
                return found
            if (
                callable(found)
                and owner.startswith("whoosh.lang.")
                and module.startswith("whoosh.lang.")
            ):
                return found
        raise UnsafeIndexError(f"the index refers to {module}.{name}, which is not allowed")


# The pickle of a plain list of small integers, opcode by opcode (protocol 2, as Whoosh
# writes positions): it names no class and calls nothing, so the C unpickler may read
# it. Positions are read for every candidate of a phrase, and the restricted unpickler
# costs several times more per call.
_INT_LIST = re.compile(rb"\x80\x02\]q\x00(?:\((?:K.|M..|J....)+e|(?:K.|M..|J....)a)*\.", re.S)


def loads(data: bytes, *args: Any, **kwargs: Any) -> Any:
    if _INT_LIST.fullmatch(data):
        return pickle.loads(data)
    return RestrictedUnpickler(io.BytesIO(data)).load()


def load(stream: Any, *args: Any, **kwargs: Any) -> Any:
    return RestrictedUnpickler(stream).load()


_PATCHES = {
    "whoosh.index": "pickle",
    "whoosh.filedb.structfile": "load_pickle",
    "whoosh.codec.whoosh3": "loads",
    "whoosh.codec.whoosh2": "loads",
    "whoosh.codec.plaintext": "loads",
    "whoosh.columns": "loads",
    "whoosh.formats": "loads",
    "whoosh.externalsort": "load",
}


def install() -> None:
    """Route every unpickling inside Whoosh through `RestrictedUnpickler` (idempotent)."""
    import importlib

    for module_name, attribute in _PATCHES.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # legacy codecs that no longer import cannot unpickle either
            continue
        if attribute == "pickle":  # whoosh.index uses the module: a copy with safe loads
            safe = ModuleType("pickle")
            safe.__dict__.update(pickle.__dict__)
            safe.loads, safe.load = loads, load  # type: ignore[attr-defined]
            setattr(module, attribute, safe)
        else:
            setattr(module, attribute, load if attribute in ("load", "load_pickle") else loads)
