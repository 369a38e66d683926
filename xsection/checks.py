"""Checks: the geometric facts a figure must show, as a small vocabulary
usable from Python and from a recipe's ``[[checks]]``.

Each check reports the measured value, the bound and pass/fail. Values are
named as ``"<what>:<name>:<field>"``: ``bump:20:neck_width``,
``joint:5:standoff``,
``void:16:interface_width``, ``film:18:min``, ``top:12``, ``bottom:10``,
``span:3:7`` (top of 7 minus bottom of 3), ``thickness:7:200`` (of 7 at x = 200),
``area:copper``, ``bodies:nickel``,
``exposed:copper``, or a plain number.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import geometry as g
from . import measure
from .check_specs import DEFAULT_REL, DEFAULT_TOLERANCE, KINDS, OPS, ValueRef, parse_ref
from .errors import InputError, UnknownNameError, XsectionError
from .films import film
from .flow import Flow, Snapshot
from .joints import joints
from .section import Section, upward_segments
from .tolerances import tol


@dataclass(frozen=True)
class Result:
    """One check's outcome."""

    figure: str
    kind: str
    what: str
    value: str
    bound: str
    passed: bool
    note: str = ""


def run_checks(flow: Flow, snaps: Sequence[Snapshot] | None = None) -> list[Result]:
    """Run every check of ``flow`` on its figures."""
    snaps = list(snaps) if snaps is not None else flow.run()
    figures = {s.figure: s.section for s in snaps if s.figure}
    return [check(figures, spec) for spec in flow.checks]


def check(figures: Mapping[str, Section], spec: Mapping[str, Any]) -> Result:
    """Evaluate one check spec against the figures (by figure id)."""
    spec = dict(spec)
    fig = str(spec.pop("figure"))
    kind = spec.pop("check", None)
    note = str(spec.pop("note", ""))
    if kind not in KINDS:
        raise InputError(f"check on figure {fig}: 'check' must be one of {', '.join(KINDS)} "
                         f"(got {kind!r})")
    if fig not in figures:
        raise UnknownNameError(f"check: figure {fig!r} does not exist; figures: "
                               f"{', '.join(figures)}")
    section = figures[fig]
    try:
        what, value, bound, ok = _KINDS[kind](section, spec, figures)
    except XsectionError as err:
        raise type(err)(f"check {kind} on figure {fig}: {err}") from err
    return Result(fig, kind, what, value, bound, bool(ok), note)


def _fmt(values: Sequence[float]) -> str:
    vals = [f"{v:.4g}" for v in values]
    return vals[0] if len(vals) == 1 else "[" + ", ".join(vals) + "]"


def values(section: Section, ref: object, spec: Mapping[str, Any]) -> list[float]:
    """The value(s) a reference names on ``section`` (a number, a
    ``ValueRef`` or its text such as ``bump:20:height``)."""
    if isinstance(ref, (int, float)) and not isinstance(ref, bool):
        return [float(ref)]
    r = ref if isinstance(ref, ValueRef) else parse_ref("check", "value", ref)
    if r.kind == "bump":
        items = measure.bumps(section, r.name, reference=spec.get("reference"),
                              direction=spec.get("direction", "up"))
        return [_field(b, r.field, r.text) for b in items]
    if r.kind == "joint":
        found = joints(section, r.name)
        if not found:
            raise InputError(f"{r.text!r}: no body {r.name!r} is a joint between two lands")
        return [_field(j, r.field, r.text) for j in found]
    if r.kind == "void":
        voids = measure.voids(section, r.name, material=spec.get("material"),
                              landing=spec.get("landing", ()))
        return [_field(v, r.field, r.text) for v in voids]
    if r.kind == "film":
        return [_field(film(section, r.name), r.field, r.text)]
    if r.kind in ("top", "bottom"):
        geom = measure.named(section, r.name, "check")
        return [geom.bounds[3] if r.kind == "top" else geom.bounds[1]]
    if r.kind == "thickness":
        return [measure.thickness_at(section, r.name, float(r.field))]
    if r.kind == "span":
        low = measure.named(section, r.name, "check")
        high = measure.named(section, r.field, "check")
        return [high.bounds[3] - low.bounds[1]]
    if r.kind in ("area", "bodies"):
        summary = measure.materials(section).get(r.name, {"area": 0.0, "bodies": 0})
        return [float(summary[r.kind])]
    return [measure.exposed_width(section, r.name)]  # exposed:M


def _field(item: object, name: str, ref: str) -> float:
    if not hasattr(item, name):
        fields = ", ".join(k for k in item.__dataclass_fields__)  # type: ignore[attr-defined]
        raise InputError(f"{ref!r}: no field {name!r}; fields: {fields}")
    v = getattr(item, name)
    if v is None:
        raise InputError(f"{ref!r}: {name} does not apply to this body")
    return float(v)


def _compare(section: Section, spec: Mapping[str, Any], _: Any):  # type: ignore[no-untyped-def]
    op = spec.get("op", ">")
    if op not in OPS:
        raise InputError(f"'op' must be one of {', '.join(OPS)} (got {op!r})")
    left = values(section, spec.get("left"), spec)
    factor = float(spec.get("factor", 1.0))
    right = [factor * v for v in values(section, spec.get("right"), spec)]
    if len(left) == len(right):
        ok = all(OPS[op](a, b) for a, b in zip(left, right))
    else:
        ok = all(OPS[op](a, b) for a in left for b in right)
    times = "" if factor == 1.0 else f"{factor:g} × "
    return f"{_text(spec.get('left'))} {op} {times}{_text(spec.get('right'))}", _fmt(left), \
        f"{op} {_fmt(right)}", ok and bool(left)


def _text(ref: object) -> str:
    return ref.text if isinstance(ref, ValueRef) else str(ref)


def _range(section: Section, spec: Mapping[str, Any], _: Any):  # type: ignore[no-untyped-def]
    vals = values(section, spec.get("value"), spec)
    lo, hi = float(spec.get("min", float("-inf"))), float(spec.get("max", float("inf")))
    return _text(spec.get("value")), _fmt(vals), f"[{lo:g}, {hi:g}]", \
        bool(vals) and all(lo <= v <= hi for v in vals)


def _names(spec: Mapping[str, Any]) -> list[str]:
    names = spec.get("names", spec.get("name"))
    if isinstance(names, str):
        return [names]
    if not isinstance(names, (list, tuple)) or not names:
        raise InputError("'names' must be a name or a list of numerals/materials")
    return [str(n) for n in names]


def _has(section: Section, name: str) -> bool:
    return bool(section.select(numerals=[name]) or section.select(materials=[name])
                or any(lab.numeral == name for lab in section.labels))


def _present(section: Section, spec: Mapping[str, Any], _: Any):  # type: ignore[no-untyped-def]
    names = _names(spec)
    missing = [n for n in names if not _has(section, n)]
    return ", ".join(names), "missing: " + (", ".join(missing) or "none"), "all present", \
        not missing


def _absent(section: Section, spec: Mapping[str, Any], _: Any):  # type: ignore[no-untyped-def]
    names = _names(spec)
    found = [n for n in names if _has(section, n)]
    return ", ".join(names), "present: " + (", ".join(found) or "none"), "none present", \
        not found


def _geom(section: Section, name: str):  # type: ignore[no-untyped-def]
    return measure.named(section, name, "check")


def _other(figures: Mapping[str, Section], spec: Mapping[str, Any]) -> Section:
    ref = str(spec.get("from_figure"))
    if ref not in figures:
        raise UnknownNameError(f"'from_figure' {ref!r} does not exist; figures: "
                               f"{', '.join(figures)}")
    return figures[ref]


def _unchanged(section: Section, spec: Mapping[str, Any], figures):  # type: ignore[no-untyped-def]
    name = str(spec.get("name"))
    before = _geom(_other(figures, spec), name)
    diff = before.symmetric_difference(_geom(section, name)).area
    return f"{name} since {spec.get('from_figure')}", f"{diff:.3g} µm² changed", "0", \
        diff <= tol.area + before.length * tol.grid


def _volume(section: Section, spec: Mapping[str, Any], figures):  # type: ignore[no-untyped-def]
    name = str(spec.get("name"))
    before = g.polygons(_geom(_other(figures, spec), str(spec.get("from_name", name))))
    after = g.polygons(_geom(section, name))
    rel = float(spec.get("rel", DEFAULT_REL))
    if len(before) != len(after):  # bodies merged (or split): the total is kept
        va, vb = sum(map(g.own_axis_volume, before)), sum(map(g.own_axis_volume, after))
        err = abs(vb - va) / va if va else float("inf")
        return f"total volume of {name} ({len(before)} → {len(after)} bodies) vs " \
               f"{spec.get('from_figure')}", _fmt([err]), f"<= {rel:g} relative", err <= rel
    errs = []  # each body revolved about its own axis, as reflow conserves it
    for a, b in zip(sorted(before, key=lambda p: p.centroid.x),
                    sorted(after, key=lambda p: p.centroid.x)):
        va, vb = g.own_axis_volume(a), g.own_axis_volume(b)
        errs.append(abs(vb - va) / va)
    return f"volume of {name} vs {spec.get('from_figure')}", _fmt(errs), f"<= {rel:g} relative", \
        all(e <= rel for e in errs)


def _bumps_of(section: Section, spec: Mapping[str, Any]) -> list[measure.Bump]:
    return measure.bumps(section, str(spec.get("name")), reference=spec.get("reference"),
                         direction=spec.get("direction", "up"))


def _coplanar(section: Section, spec: Mapping[str, Any], _: Any):  # type: ignore[no-untyped-def]
    apexes = [b.apex_z for b in _bumps_of(section, spec)]
    spread = max(apexes) - min(apexes)
    limit = float(spec.get("tolerance", DEFAULT_TOLERANCE))
    return f"apex heights of {spec.get('name')}", f"spread {spread:.4g}", f"<= {limit:g}", \
        spread <= limit


def _pitch(section: Section, spec: Mapping[str, Any], _: Any):  # type: ignore[no-untyped-def]
    xs = sorted(b.x for b in _bumps_of(section, spec))
    pitches = [b - a for a, b in itertools.pairwise(xs)]
    limit = float(spec.get("tolerance", DEFAULT_TOLERANCE))
    spread = max(pitches) - min(pitches) if pitches else float("inf")
    return f"pitch of {spec.get('name')}", _fmt(pitches), f"spread <= {limit:g}", \
        len(pitches) >= 1 and spread <= limit


def _tapers(section: Section, spec: Mapping[str, Any], _: Any):  # type: ignore[no-untyped-def]
    name = str(spec.get("name"))
    ref = spec.get("above")
    bodies = g.polygons(_geom(section, name))
    z = {id(b): (_geom(section, str(ref)).bounds[3] if ref is not None else b.bounds[1])
         for b in bodies}
    ok = [measure.tapers_upward(b, z[id(b)]) for b in bodies]
    return f"{name} above {ref}", f"{sum(ok)}/{len(ok)} taper", "all", bool(ok) and all(ok)


def _flat(section: Section, spec: Mapping[str, Any], _: Any):  # type: ignore[no-untyped-def]

    name = str(spec.get("name"))
    top = upward_segments(section, _geom(section, name), 1.0)
    zs = [z for line in g.lines(top) for (_, za), (_, z) in zip(line.coords, line.coords[1:])
          if abs(z - za) <= tol.touch]
    if not zs:
        return name, "no flat top surface", "flat", False
    spread = max(zs) - min(zs)
    limit = float(spec.get("tolerance", DEFAULT_TOLERANCE))
    return f"top of {name}", f"spread {spread:.4g}", f"<= {limit:g}", spread <= limit


def _filled(section: Section, spec: Mapping[str, Any], figures):  # type: ignore[no-untyped-def]
    name = str(spec.get("name"))
    src = _other(figures, spec) if "from_figure" in spec else section
    labels = [lab.geometry for lab in src.labels if lab.numeral == name]
    if not labels:
        raise UnknownNameError(f"no void {name!r} in figure {spec.get('from_figure', '')}")
    region = g.union(labels)
    if "below" in spec:
        cut = g.domain_box(region.bounds[0] - 1, region.bounds[2] + 1, region.bounds[1] - 1,
                           _geom(section, str(spec["below"])).bounds[3])
        region = g.intersection(region, cut)
    left = g.intersection(region, section.ambient()).area
    return f"void {name}", f"{left:.3g} µm² open", "0", left <= tol.area * 10


def _touches(section: Section, spec: Mapping[str, Any], _: Any):  # type: ignore[no-untyped-def]
    name, other = str(spec.get("name")), str(spec.get("other"))
    target = _geom(section, other)
    bodies = g.polygons(_geom(section, name))
    gaps = [b.distance(target) for b in bodies]
    return f"{name} touches {other}", _fmt(gaps), f"<= {tol.touch:g}", \
        bool(gaps) and all(d <= tol.touch for d in gaps)


def _covered(section: Section, spec: Mapping[str, Any], _: Any):  # type: ignore[no-untyped-def]
    name = str(spec.get("name"))
    bare = section.exposed(_geom(section, name)).length
    return f"{name} covered", f"{bare:.4g} µm exposed", "0", bare <= tol.touch


def _exposed(section: Section, spec: Mapping[str, Any], _: Any):  # type: ignore[no-untyped-def]
    name = str(spec.get("name"))
    direction = str(spec.get("direction", "up"))
    width = measure.exposed_width(section, name, direction)
    need = float(spec.get("min_width", tol.touch))
    side = "above" if direction == "up" else "below"
    return f"{name} exposed from {side}", f"{width:.4g}", f">= {need:g}", width >= need


_KINDS = {"compare": _compare, "range": _range, "present": _present, "absent": _absent,
          "unchanged": _unchanged, "volume_conserved": _volume, "coplanar": _coplanar,
          "equal_pitch": _pitch, "tapers_upward": _tapers, "flat_top": _flat,
          "filled": _filled, "touches": _touches, "covered": _covered, "exposed": _exposed}


def table(results: Sequence[Result]) -> str:
    """A plain-text table of results."""
    rows = [("fig", "check", "what", "value", "bound", "result")]
    rows += [(r.figure, r.kind, r.what, r.value, r.bound, "pass" if r.passed else "FAIL")
             for r in results]
    widths = [min(60, max(len(row[i]) for row in rows)) for i in range(6)]
    lines = ["  ".join(c[:w].ljust(w) for c, w in zip(row, widths)) for row in rows]
    passed = sum(r.passed for r in results)
    lines.append(f"{passed} passed, {len(results) - passed} failed")
    return "\n".join(lines)
