"""Measurements of a flow's figures as data, JSON, CSV and Markdown.

``{"figures": {"1M": {"bumps": [...], "concavities": [...], "holes": [...],
"materials": {"copper": {"area": ..., "bodies": ...}}}}}`` in µm, µm³, degrees.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from . import measure
from .errors import UnknownNameError
from .flow import Flow
from .section import Section


def figure_measurements(section: Section) -> dict[str, Any]:
    """Bumps (solder bodies standing above what they touch), voids, materials."""
    out: dict[str, Any] = {"bumps": [], "concavities": [], "holes": [],
                           "materials": measure.materials(section)}
    for numeral in dict.fromkeys(r.numeral for r in section.regions
                                 if r.numeral and section.materials[r.material].cls == "solder"):
        ref = _beside(section, numeral)
        if ref is None:
            continue
        for b in measure.bumps(section, numeral, reference=ref):
            if b.height > 0:
                out["bumps"].append(b.as_dict())
    for numeral in dict.fromkeys(lab.numeral for lab in section.labels if lab.kind == "void"):
        material = _walls(section, numeral)
        for v in measure.voids(section, numeral, material=material):
            d = v.as_dict()
            kind = "concavities" if v.undercut_left is not None and v.undercut_left > 0 else \
                "holes"
            out[kind].append(d)
    return out


def _beside(section: Section, numeral: str) -> float | None:
    """Top of the highest non-solder body touching the bump, below its apex."""
    body = section.union_of(numerals=[numeral])
    tops = [r.geometry.bounds[3] for r in section.regions
            if r.numeral != numeral and section.materials[r.material].cls != "solder"
            and r.geometry.distance(body) <= 1e-6 and r.geometry.bounds[3] < body.bounds[3]]
    return max(tops) if tops else None


def _walls(section: Section, numeral: str) -> str | None:
    """The material a void is cut into (most shared boundary)."""
    from . import geometry as g

    void = g.union(lab.geometry for lab in section.labels if lab.numeral == numeral)
    best, length = None, 0.0
    for r in section.regions:
        shared = g.shared_boundary(void, r.geometry).length
        if shared > length:
            best, length = r.material, shared
    return best


def measurements(flow: Flow, *, figure: str | None = None) -> dict[str, Any]:
    """Measurements of every figure (or one)."""
    snaps = [s for s in flow.run() if s.figure]
    if figure is not None:
        snaps = [s for s in snaps if s.figure == figure]
        if not snaps:
            known = ", ".join(s.figure or "" for s in flow.run() if s.figure)
            raise UnknownNameError(f"measure: figure {figure!r} does not exist; figures: "
                                   f"{known}")
    return {"flow": flow.name,
            "figures": {s.figure: figure_measurements(s.section) for s in snaps}}


def _rows(data: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for fig, items in data["figures"].items():
        for kind in ("bumps", "concavities", "holes"):
            for i, item in enumerate(items[kind]):
                for key, value in item.items():
                    if key == "numeral" or value is None:
                        continue
                    rows.append((fig, kind, f"{item.get('numeral')}#{i}", key, f"{value:.6g}"
                                 if isinstance(value, float) else str(value)))
        for mat, summary in items["materials"].items():
            for key, value in summary.items():
                rows.append((fig, "materials", mat, key, f"{value:.6g}"))
    return rows


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def to_csv(data: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["figure", "kind", "item", "quantity", "value"])
    writer.writerows(_rows(data))
    return buf.getvalue()


def to_markdown(data: dict[str, Any]) -> str:
    lines = ["| figure | kind | item | quantity | value |", "|---|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in _rows(data)]
    return "\n".join(lines) + "\n"
