"""The cross-section value: a domain and non-overlapping material regions.

x runs across the cut from ``x0`` to ``x1`` (µm); z is up. The left and right
edges are cut planes, not surfaces. Ambient (air, etchant, bath) is the
domain minus all regions; *open* ambient is the part connected to the space
above or below the section, which is what a bath or etchant can reach.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from . import geometry as g
from .errors import GeometryError, InputError, UnknownNameError
from .materials import MATERIALS, MaterialLibrary
from .tolerances import tol

LABEL_KINDS = ("void", "part", "assembly")

#: Ambient is computed once per section within this margin (µm) and clipped.
AMBIENT_MARGIN = 100.0


@dataclass(frozen=True)
class Layer:
    """One layer of an initial stack.

    material: library name. thickness: µm, > 0. numeral: reference numeral.
    spans: x-intervals (µm) the layer occupies; ``None`` for the whole width.
    """

    material: str
    thickness: float
    numeral: str | None = None
    spans: tuple[tuple[float, float], ...] | None = None


@dataclass(frozen=True)
class Region:
    """One material body.

    geometry: a polygon (a multipolygon where one step made one body of
        several parts), µm.
    material: a name in the section's material library.
    numeral: the reference numeral, e.g. ``"10"`` or ``"12a"``.
    """

    geometry: Polygon | MultiPolygon
    material: str
    numeral: str | None = None

    @property
    def parts(self) -> list[Polygon]:
        """The connected parts of this body."""
        return g.polygons(self.geometry)


@dataclass(frozen=True)
class Label:
    """A numeral that names a void (``kind="void"``: hole 12a, concavity 16),
    a part of a body (``kind="part"``: via 28 inside a copper body) or a
    whole assembly of bodies (``kind="assembly"``: wiring substrate 40,
    drawn with an arrow-headed lead to its outline, 37 CFR 1.84(r)).

    geometry: where the named thing is, µm. A void label lives while some
    ambient lies in it; a part label while some of ``material`` does; an
    assembly while some matter does.
    """

    numeral: str
    geometry: Polygon | MultiPolygon
    kind: str = "void"
    material: str | None = None


@dataclass(frozen=True)
class Section:
    """An immutable cross-section.

    x0, x1: the domain's x-extent, µm (cut planes at both ends).
    regions: material bodies, never overlapping.
    labels: numerals of voids and sub-parts.
    materials: the material library the regions refer to.
    """

    x0: float
    x1: float
    regions: tuple[Region, ...] = ()
    labels: tuple[Label, ...] = ()
    materials: MaterialLibrary = field(default=MATERIALS, compare=False)

    def __post_init__(self) -> None:
        for name, x in (("x0", self.x0), ("x1", self.x1)):
            if not abs(float(x)) <= tol.max_length:  # NaN fails too
                raise InputError(f"section: '{name}' must be a finite number of at most "
                                 f"{tol.max_length:g} µm in size (got {x!r})")
        if not self.x1 > self.x0:
            raise InputError(f"section: domain needs x1 > x0 µm (got x0={self.x0}, x1={self.x1})")
        if tol.strict:
            self.check()

    # ----------------------------------------------------------------- queries
    @property
    def width(self) -> float:
        """Domain width, µm."""
        return self.x1 - self.x0

    @cached_property
    def solid(self) -> BaseGeometry:
        """Union of all regions (glued edge to edge where they are few)."""
        return self.union_of()

    @cached_property
    def bounds(self) -> tuple[float, float, float, float]:
        """(x0, zmin, x1, zmax) of the section."""
        if not self.regions:
            return (self.x0, 0.0, self.x1, 0.0)
        boxes = shapely.bounds([r.geometry for r in self.regions])
        return (self.x0, float(boxes[:, 1].min()), self.x1, float(boxes[:, 3].max()))

    @property
    def zmin(self) -> float:
        return self.bounds[1]

    @property
    def zmax(self) -> float:
        return self.bounds[3]

    def box(self, margin: float) -> Polygon:
        """The domain from ``margin`` below the bottom to ``margin`` above the top."""
        return g.domain_box(self.x0, self.x1, self.zmin - margin, self.zmax + margin)

    def ambient(self, margin: float = 0.0) -> BaseGeometry:
        """Domain minus all regions, within ``margin`` (+ a little) of the section.

        Computed once per section: a smaller margin is a clip of a larger one."""
        m = self._margin(margin)
        cache: dict[float, BaseGeometry] = self.__dict__.setdefault("_ambient_cache", {})
        if m not in cache:
            wide = max(cache, default=0.0)
            if wide < m:  # one generous box serves the usual margins
                wide = max(m, self._margin(AMBIENT_MARGIN))
                cache[wide] = g.difference(self.box(wide), self.solid)
            if wide != m:
                cache[m] = g.clean(shapely.clip_by_rect(cache[wide], *self.box(m).bounds))
        return cache[m]

    def open_ambient(self, margin: float = 0.0, side: str = "both") -> BaseGeometry:
        """Ambient connected to the space above (``side="top"``), below
        (``"bottom"``) or either (``"both"``) of the section."""
        cache: dict[tuple[float, str], BaseGeometry] = self.__dict__.setdefault("_open_cache", {})
        key = (self._margin(margin), side)
        if key not in cache:
            cache[key] = self._open_ambient(margin, side)
        return cache[key]

    def _open_ambient(self, margin: float, side: str) -> BaseGeometry:
        """The ambient parts that hold the clear band above (below) the section.

        Nothing lies above ``zmax``, so the band from ``zmax`` to the top of
        the box (at least 2.5 µm tall) is one strip of ambient; a part is open
        if it holds the band's mid-line. That line lies well inside the band,
        so snapping the box's own edges to the grid cannot move it out."""
        m = self._margin(margin)
        amb = self.ambient(margin)
        edges = []
        if side in ("top", "both"):
            edges.append(g.hline(self.zmax + m / 2, self.x0, self.x1))
        if side in ("bottom", "both"):
            edges.append(g.hline(self.zmin - m / 2, self.x0, self.x1))
        keep = [p for p in g.polygons(amb) if any(p.intersects(e) for e in edges)]
        return g.clean(MultiPolygon(keep)) if keep else g.EMPTY

    def _margin(self, margin: float) -> float:
        return max(margin, 1.0) * 1.5 + 1.0

    def select(self, *, materials: Iterable[str] | None = None,
               numerals: Iterable[str] | None = None) -> list[Region]:
        """Regions of the given materials and/or numerals (both filters apply)."""
        mats = None if materials is None else set(materials)
        nums = None if numerals is None else set(numerals)
        return [
            r for r in self.regions
            if (mats is None or r.material in mats) and (nums is None or r.numeral in nums)
        ]

    def union_of(self, *, materials: Iterable[str] | None = None,
                 numerals: Iterable[str] | None = None) -> BaseGeometry:
        """Union of the selected regions (a few bodies, which never overlap,
        glued edge to edge where they meet so; else by an overlay)."""
        return g.glued([r.geometry for r in self.select(materials=materials,
                                                        numerals=numerals)])

    def exposed(self, solid: BaseGeometry, margin: float = 0.0, side: str = "both"
                ) -> BaseGeometry:
        """Lines of ``solid``'s boundary that face open ambient reached from
        ``side`` (never the cut planes)."""
        return g.shared_boundary(solid, self.open_ambient(margin, side))

    def numerals(self) -> list[str]:
        """Every numeral in use, regions first, then labels, without repeats."""
        seen: dict[str, None] = {}
        for r in self.regions:
            if r.numeral:
                seen.setdefault(r.numeral)
        for lab in self.labels:
            seen.setdefault(lab.numeral)
        return list(seen)

    def require_numerals(self, op: str, field: str, numerals: Sequence[str]) -> None:
        """Raise naming ``op`` and ``field`` if a numeral is not in this section."""
        known = self.numerals()
        for n in numerals:
            if n not in known:
                raise UnknownNameError(
                    f"{op}: numeral {n!r} in '{field}' is not in the section; "
                    f"present: {', '.join(known) or 'none'}"
                )

    # ---------------------------------------------------------------- building
    def evolve(self, regions: Iterable[Region] | None = None,
               labels: Iterable[Label] | None = None, *, solid: BaseGeometry | None = None,
               **changes: object) -> Section:
        """A new section with regions (cleaned, empties dropped) and live labels.

        solid: the union of the new regions where the step knows it cheaply
            (the old union plus or minus what changed); else it is computed."""
        kept = {id(r.geometry) for r in self.regions}
        new_regions = self.regions if regions is None else tuple(_cleaned(regions, kept))
        probe = _unchecked(self, new_regions, **changes)
        if solid is not None:
            probe.__dict__["solid"] = solid
        base_labels = self.labels if labels is None else tuple(labels)
        live = tuple(lab for lab in base_labels if _alive(lab, probe))
        out = replace(probe, labels=live)
        probe.carry_derived(out)  # same regions: keep what the probe computed
        return out

    def carry_derived(self, other: Section,
                      transform: Callable[[BaseGeometry], BaseGeometry] | None = None,
                      sides: dict[str, str] | None = None) -> None:
        """Give ``other`` (the same bodies, possibly moved by ``transform``,
        which maps side names by ``sides``) what this section has computed
        from its bodies: their union, bounds and ambients."""
        move = transform or (lambda geom: geom)
        sides = sides or {}
        d = self.__dict__
        if "solid" in d:
            other.__dict__["solid"] = move(d["solid"])
        if "bounds" in d and transform is None:
            other.__dict__["bounds"] = d["bounds"]
        if "_ambient_cache" in d:
            other.__dict__["_ambient_cache"] = {m: move(a) for m, a in d["_ambient_cache"].items()}
        if "_open_cache" in d:
            other.__dict__["_open_cache"] = {(m, sides.get(side, side)): move(a)
                                             for (m, side), a in d["_open_cache"].items()}

    # --------------------------------------------------------------- invariants
    def check(self) -> None:
        """Raise ``GeometryError`` unless every invariant holds."""
        for i, r in enumerate(self.regions):
            if r.material not in self.materials:
                raise UnknownNameError(f"section: region {i} has unknown material {r.material!r}")
            if not isinstance(r.geometry, (Polygon, MultiPolygon)) or r.geometry.is_empty:
                raise GeometryError(f"section: region {i} ({r.material}) is not a non-empty "
                                    f"polygon")
            if not r.geometry.is_valid:
                reason = shapely.is_valid_reason(r.geometry)
                raise GeometryError(f"section: region {i} ({r.material}) is invalid: {reason}")
            minx, _, maxx, _ = r.geometry.bounds
            if minx < self.x0 - tol.touch or maxx > self.x1 + tol.touch:
                raise GeometryError(
                    f"section: region {i} ({r.material}) lies outside the domain "
                    f"[{self.x0}, {self.x1}] µm (x from {minx} to {maxx})"
                )
        geoms = [r.geometry for r in self.regions]
        if len(geoms) < 2:
            return
        tree = shapely.STRtree(geoms)
        left, right = tree.query(geoms, predicate="intersects")
        for i, j in zip(left, right):
            if i < j:
                area = shapely.intersection(geoms[i], geoms[j], grid_size=tol.grid).area
                if area > tol.area:
                    a, b = self.regions[i], self.regions[j]
                    raise GeometryError(
                        f"section: regions {i} ({a.material}) and {j} ({b.material}) overlap "
                        f"by {area:.3g} µm² (tolerance {tol.area} µm²)"
                    )


def _unchecked(section: Section, regions: tuple[Region, ...], **changes: Any) -> Section:
    """Build without the strict check (labels are not final yet)."""
    saved = tol.strict
    tol.strict = False
    try:
        return replace(section, regions=regions, labels=(), **changes)
    finally:
        tol.strict = saved


def _cleaned(regions: Iterable[Region], kept: set[int]) -> list[Region]:
    """Regions cleaned (bodies whose geometry object is in ``kept`` are clean already)."""
    out = []
    for r in regions:
        geom = r.geometry if id(r.geometry) in kept else g.clean(r.geometry)
        if not geom.is_empty:
            out.append(Region(geom, r.material, r.numeral))
    return out


def _alive(label: Label, section: Section) -> bool:
    if label.kind == "void":
        ambient = section.ambient()
        return _holds_a_speck(label.geometry, ambient) or \
            g.intersection(label.geometry, ambient).area > tol.area
    if label.kind == "assembly":
        return g.intersection(label.geometry, section.solid).area > tol.area
    if label.material is None:
        return False
    near = [r.geometry for r in section.select(materials=[label.material])
            if r.geometry.intersects(label.geometry)]
    return g.intersection(label.geometry, g.union(near)).area > tol.area


def _holds_a_speck(geom: BaseGeometry, room: BaseGeometry) -> bool:
    """True if a speck of area over ``tol.area`` round a point inside a part
    of ``geom`` lies in that part and in ``room``: enough to know they share
    that much, found with prepared point-in-polygon tests, no overlay (an
    octagon of circumradius √tol.area has area 2.8 · tol.area)."""
    parts = shapely.get_parts(geom)
    if not len(parts) or room.is_empty:
        return False
    specks = shapely.buffer(shapely.point_on_surface(parts), math.sqrt(tol.area), quad_segs=2)
    shapely.prepare(room)
    try:
        return bool(np.any(shapely.contains(parts, specks) & shapely.contains(room, specks)))
    finally:
        shapely.destroy_prepared(room)  # the section keeps its ambient, not the index


def mirror_z(section: Section) -> Section:
    """The section mirrored about z = 0 (exactly invertible)."""
    regions = [Region(g.polygonal(mirrored_z(r.geometry)), r.material, r.numeral)
               for r in section.regions]
    labels = [Label(lab.numeral, g.polygonal(mirrored_z(lab.geometry)), lab.kind, lab.material)
              for lab in section.labels]
    out = Section(section.x0, section.x1, tuple(regions), tuple(labels), section.materials)
    # mirror what was computed instead of recomputing it
    section.carry_derived(out, mirrored_z, {"top": "bottom", "bottom": "top"})
    return out


def mirrored_z(geom: BaseGeometry) -> BaseGeometry:
    return shapely.affinity.scale(geom, 1.0, -1.0, origin=(0.0, 0.0))


def upward_segments(section: Section, solid: BaseGeometry, margin: float) -> BaseGeometry:
    """Exposed boundary segments of ``solid`` with open ambient directly above them."""
    exposed = section.exposed(solid, margin)
    amb = section.open_ambient(margin)
    segs = []
    eps = max(tol.touch * 10, tol.sample_step)
    for line in g.lines(exposed):
        xy = list(line.coords)
        for (xa, za), (xb, zb) in itertools.pairwise(xy):
            if abs(xb - xa) <= tol.grid:
                continue
            mx, mz = (xa + xb) / 2, (za + zb) / 2
            if amb.contains(shapely.geometry.Point(mx, mz + eps)):
                segs.append(((xa, za), (xb, zb)))
    if not segs:
        return shapely.geometry.LineString()
    return shapely.line_merge(shapely.geometry.MultiLineString(segs))
