"""One exception family for everything xsection rejects.

Every subclass is also a builtin (``ValueError`` or ``LookupError``) so that
callers' ``except`` clauses keep working.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable

from .tolerances import tol


class XsectionError(Exception):
    """Base class of every error xsection raises on purpose."""


class InputError(XsectionError, ValueError):
    """A quantity or option is out of range, of the wrong type or inconsistent."""


class UnknownNameError(XsectionError, LookupError):
    """A material, numeral, operator or figure that does not exist."""

    def __str__(self) -> str:  # LookupError quotes its argument; keep the plain text
        return str(self.args[0]) if self.args else ""


class GeometryError(XsectionError, ValueError):
    """A step would break an invariant (overlap, invalid polygon, empty section)."""


class InternalError(Exception):
    """An operator failed where it should not (a bug of xsection's, not bad
    input): the message names the recipe and the step. Not an XsectionError."""


class BridgeError(GeometryError):
    """Two reflowed solder caps would touch (a solder bridge)."""


def require_length(op: str, name: str, value: object, *, allow_zero: bool = True) -> float:
    """Return ``value`` as a float length in µm, or raise naming ``op`` and ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{op}: '{name}' must be a number in µm (got {value!r})")
    v = _float(op, name, value)
    if not math.isfinite(v):
        raise InputError(f"{op}: '{name}' must be a finite number in µm (got {v})")
    _within_grid(op, name, v)
    if v < 0 or (v == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise InputError(f"{op}: '{name}' must be {bound} µm (got {v})")
    return v


def require_number(op: str, name: str, value: object) -> float:
    """Return ``value`` as a finite float, or raise naming ``op`` and ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{op}: '{name}' must be a number (got {value!r})")
    v = _float(op, name, value)
    if not math.isfinite(v):
        raise InputError(f"{op}: '{name}' must be a finite number (got {v})")
    _within_grid(op, name, v)
    return v


def _float(op: str, name: str, value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:  # an int of hundreds of digits
        raise InputError(f"{op}: '{name}' is too large (got an integer of "
                         f"{len(str(abs(value)))} digits)") from None


def _within_grid(op: str, name: str, v: float) -> None:
    """Refuse magnitudes the coordinate grid cannot hold (``tol.max_length``)."""
    if abs(v) > tol.max_length:
        raise InputError(f"{op}: '{name}' is {v:g}, beyond the largest length xsection "
                         f"holds exactly, {tol.max_length:g} µm (on the {tol.grid:g} µm "
                         f"grid); check the units")


def is_printable_name(value: object) -> bool:
    """The one rule for names drawn or printed as text (numerals, materials):
    1–64 characters, none a control or format character (they would break
    SVG, HTML and terminals)."""
    return isinstance(value, str) and 0 < len(value) <= 64 and value.strip() != "" and \
        not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in value)


def require_choice(op: str, name: str, value: object, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise listing them."""
    options = tuple(choices)
    if value not in options:
        listed = ", ".join(repr(c) for c in options)
        raise InputError(f"{op}: {value!r} is not a valid '{name}', must be one of {listed}")
    return str(value)


#: Largest vertical exaggeration of a figure (a unitless factor).
MAX_EXAGGERATION = 1000.0


def exaggeration_arg(where: str, value: object) -> float:
    """A vertical exaggeration: a factor > 0 and at most ``MAX_EXAGGERATION``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not 0 < float(value) <= MAX_EXAGGERATION:
        raise InputError(f"{where}: 'exaggeration' must be a factor > 0 and at most "
                         f"{MAX_EXAGGERATION:g} (got {value!r})")
    return float(value)
