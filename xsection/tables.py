"""Measurements of a flow's figures as data, JSON, CSV and Markdown.

``{"figures": {"1M": {"bumps": [...], "joints": [...], "concavities": [...],
"holes": [...], "materials": {"copper": {"area": ..., "bodies": ...}}}}}`` in
µm, µm³, degrees. A solder body wetting a land below and one above is a
joint (``joints.joint``), never a bump.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from typing import Any

from . import measure
from .flow import Flow
from .joints import joint
from .section import Section


def figure_measurements(section: Section) -> dict[str, Any]:
    """Bumps (solder bodies standing above what they touch), joints (solder
    between two lands), voids, materials."""
    out: dict[str, Any] = {"bumps": [], "bump_sets": [], "joints": [], "concavities": [],
                           "holes": [], "materials": measure.materials(section)}
    solder = [r for r in section.regions if section.materials[r.material].cls == "solder"]
    bodies = [(r.numeral, r.material, part) for r in solder for part in r.parts]
    for numeral, material, body in sorted(bodies, key=lambda nmb: nmb[2].centroid.x):
        found = joint(section, body, material, numeral)
        if found is not None:
            out["joints"].append(found.as_dict())
            continue
        ref = measure.base_of(section, body, {material})  # what it stands on
        if ref is not None:
            b = measure.bump(body, numeral, ref)
            if b.height > 0:
                out["bumps"].append(b.as_dict())
    by_numeral: dict[str, list[dict[str, Any]]] = {}
    for b in out["bumps"]:
        by_numeral.setdefault(str(b["numeral"]), []).append(b)
    for numeral, items in by_numeral.items():
        xs = sorted(b["x"] for b in items)
        apexes = [b["apex_z"] for b in items]
        pitches = [q - p for p, q in itertools.pairwise(xs)]
        out["bump_sets"].append({
            "numeral": numeral, "count": len(items),
            "coplanarity": max(apexes) - min(apexes),
            "pitch": sum(pitches) / len(pitches) if pitches else None,
            "pitch_spread": max(pitches) - min(pitches) if pitches else None})
    for numeral in dict.fromkeys(lab.numeral for lab in section.labels if lab.kind == "void"):
        walls = _walls(section, numeral)
        for v in measure.voids(section, numeral, material=walls):
            d = v.as_dict()
            kind = "concavities" if v.undercut_left is not None and v.undercut_left > 0 else \
                "holes"
            out[kind].append(d)
    return out


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
    run = flow.run()
    snaps = run.figures if figure is None else [run.figure(figure, op="measure")]
    return {"flow": flow.name,
            "figures": {s.figure: figure_measurements(s.section) for s in snaps}}


#: The unit of every measured quantity (the JSON's keys, µm unless listed).
UNITS: dict[str, str] = {
    "volume": "µm³", "area": "µm²", "bodies": "count", "count": "count",
    "contact_angle_deg": "°", "taper_deg": "°", "aspect_ratio": "ratio",
    "step_coverage": "ratio", "opens": "", "numeral": "",
}


def unit(quantity: str) -> str:
    """The unit of a measured quantity; lengths and positions are µm."""
    return UNITS.get(quantity, "µm")


def _rows(data: dict[str, Any]) -> list[tuple[str, str, str, str, str, str]]:
    """Every value the JSON holds, one row each: figure, kind, item, quantity,
    value, unit (bump sets carry coplanarity and pitch)."""
    rows = []

    def cell(value: object) -> str:
        return f"{value:.6g}" if isinstance(value, float) else str(value)

    for fig, items in data["figures"].items():
        for kind in ("bumps", "joints", "concavities", "holes"):
            for i, item in enumerate(items.get(kind, [])):
                for key, value in item.items():
                    if key == "numeral" or value is None:
                        continue
                    rows.append((fig, kind, f"{item.get('numeral')}#{i}", key, cell(value),
                                 unit(key)))
        for item in items.get("bump_sets", []):
            for key, value in item.items():
                if key == "numeral" or value is None:
                    continue
                rows.append((fig, "bump_sets", str(item["numeral"]), key, cell(value),
                             unit(key)))
        for mat, summary in items["materials"].items():
            for key, value in summary.items():
                rows.append((fig, "materials", mat, key, cell(value), unit(key)))
    return rows


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def to_csv(data: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["figure", "kind", "item", "quantity", "value", "unit"])
    writer.writerows(_rows(data))
    return buf.getvalue()


def to_markdown(data: dict[str, Any]) -> str:
    lines = ["| figure | kind | item | quantity | value | unit |", "|---|---|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in _rows(data)]
    return "\n".join(lines) + "\n"
