"""Where a numeral may stand and how its lead runs (mm, y down): the candidate
leads of one numeral with their cost, and what makes a lead collide with
leads already drawn. Shared by the placement (``numerals``) and the drawing
check (``drawing_rules``), so both weigh a lead alike.

A numeral stands in a gutter beside the drawing (L, R), in a band just above
or below it (T, B), or in clear space near its part (F: inside the
drawing's bounding box or beside it, never on the drawing)::

            T  T            F
        L   +--------+  .   R
        L --|-- x    |      R     x: where a lead ends, inside its part
        L   +--------+      R
            B  B

The cost of a lead is its length plus CROSSING_COST for every other numbered
part it passes through (as drawn, thin films thickened) and INSIDE_COST per
mm inside them, plus BAND_COST if its numeral stands above or below the
drawing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from . import style as st
from .crossings import pool_of, through, through_pool
from .page import Panel, text_extents
from .taken import CLEAR

#: What a lead through another numbered part costs, in mm of lead length: a
#: lead may run this much longer to pass by a part instead of through it.
CROSSING_COST = 20.0
#: ... and this much per mm it runs inside them: through a thin film rather
#: than across a ball.
INSIDE_COST = 2.0
#: A numeral keeps where it stands (L, R, T, B, or a direction of F) from
#: figure to figure unless another place saves more than this (mm).
KEY_COST = 8.0
#: ... and its lead ends near where it ended: this much per mm moved (at most
#: KEY_COST in all).
MOVE_COST = 0.5
#: The gap (mm) between the drawing and a numeral in the band above or below.
BAND_GAP = 2.5
#: What a numeral above or below the drawing costs (mm of lead): the figure
#: grows by a row there.
BAND_COST = 12.0
#: Distance (mm) from a numeral's gutter-side text edge to the drawing.
GUTTER_GAP = 4.0
#: Numerals in clear space stand this far (mm) from their lead's end, in
#: eight directions.
FREE_DISTANCES = (5.0, 8.0, 12.0)
#: A part named by many pieces (bumps, vias) is reached in at most this many.
MOST_PARTS = 12


#: Candidates are priced (their crossings counted) in cost bands: the first
#: this wide (mm) above the cheapest lower bound, each next one twice as wide.
PRICE_STEP = 25.0


@dataclass
class Candidates:
    """The candidate leads of one numeral, as arrays of length n, priced
    lazily: ``bound`` (length, band, keeping its place) is known for all,
    ``cost`` (bound plus what the lead passes through) only for those whose
    bound lies under ``priced_to`` (inf elsewhere). ``ordered`` yields them
    by cost, pricing as far as it must, so a numeral that finds a free lead
    among its cheap ones never prices the rest::

        bound  ..|.....|..........|        bands priced one by one
                 cheapest free lead found here: the rest never priced
    """

    bound: np.ndarray  # (n,) mm, never above the cost
    start: np.ndarray  # (n, 2) where the lead leaves the numeral
    end: np.ndarray  # (n, 2) where it ends, inside its part
    text_x: np.ndarray  # (n,) the numeral's x, mm
    baseline: np.ndarray  # (n,) its baseline's y, mm
    anchors: np.ndarray  # (n,) str: start, middle or end
    boxes: np.ndarray  # (n, 4) the numeral's ink box
    keys: np.ndarray  # (n,) str: where it stands: L, R, T, B, F<angle>
    part: np.ndarray  # (n,) index into ``parts``
    parts: list[Polygon] = field(default_factory=list)
    target: BaseGeometry = field(default_factory=Polygon)
    others: list[BaseGeometry] = field(default_factory=list)
    shrunk: dict[int, tuple[BaseGeometry, BaseGeometry]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cost = np.full(len(self.bound), np.inf)  # mm, where priced
        self.crossed = np.full(len(self.bound), -1)  # other numbered parts passed through
        self.priced_to = -np.inf
        self._pool: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.bound)

    def text(self, i: int) -> tuple[float, float, str]:
        """Candidate i's numeral: x, baseline y (mm) and anchor."""
        return float(self.text_x[i]), float(self.baseline[i]), str(self.anchors[i])

    def add(self, extra: np.ndarray) -> None:
        """Add ``extra`` (n,) ≥ 0 to every cost (what leaving a place costs)."""
        self.bound = self.bound + extra
        self.cost = self.cost + extra

    def price(self, upto: float) -> None:
        """Price every candidate whose bound lies under ``upto`` (mm)."""
        if upto <= self.priced_to:
            return
        todo = np.flatnonzero((self.bound < upto) & (self.crossed < 0))
        if len(todo):
            if self._pool is None:
                self._pool = pool_of(self.target, self.others, self.shrunk)
            segs = np.column_stack([self.start[todo], self.end[todo]])
            crossed, inside = through_pool(segs, self._pool)
            self.cost[todo] = self.bound[todo] + CROSSING_COST * crossed + INSIDE_COST * inside
            self.crossed[todo] = crossed
        self.priced_to = upto

    def ordered(self, below: float = np.inf) -> Iterator[int]:
        """Indices of the candidates costing less than ``below``, cheapest
        first (ties by index), pricing band by band as it goes."""
        if not len(self):
            return
        lo, step = -np.inf, PRICE_STEP
        top = float(self.bound.max())
        upto = float(self.bound.min()) + step
        while True:
            if upto > top:
                upto = np.inf  # all priced: the last band holds the rest
            hi = min(upto, below)
            self.price(hi)
            band = np.flatnonzero((self.cost >= lo) & (self.cost < hi))
            yield from band[np.argsort(self.cost[band], kind="stable")].tolist()
            if hi >= below or upto == np.inf:
                return
            lo, step = upto, 2 * step
            upto += step

    def least(self) -> float:
        """The cheapest cost (mm; inf if there is no candidate)."""
        return float(self.cost[next(self.ordered())]) if len(self) else np.inf


def candidates(panel: Panel, numeral: str, drawing: BaseGeometry,
               others: list[BaseGeometry], digit: float, below: float = np.inf
               ) -> Candidates:
    """Every lead the numeral could have in ``panel`` (costing less than
    ``below``): ends inside each of its parts (on the outline, for a whole
    assembly), numerals in the gutters (rows level with the end and
    shifted), the bands and clear space near the end (clear of ``drawing``
    by CLEAR); cost as the module says (what the numeral names itself is no
    other part)."""
    size = st.font_size(digit)
    x0, y0, x1, y1 = panel.frame
    lo, hi = x0 - panel.gutter, x1 + panel.gutter
    target = panel.parts[numeral]
    whole = numeral in panel.wholes
    parts = [p for p in g.polygons(g.union(g.polygons(target)) if whole else target)
             if p.area > 0]
    # the largest first, ties in the geometry's own order (which a move keeps)
    parts = sorted(parts, key=lambda p: -round(p.area, 2))[:MOST_PARTS]
    ex0, ey0, ex1, ey1 = text_extents(numeral)
    w, h = (ex1 - ex0) * size, (ey1 - ey0) * size
    blocks = []  # (start (m, 2), end (m, 2), text x, baseline (m,), anchor, key, part)
    rows_dy = np.arange(-4, 5) * (digit + 2.0) / 2
    cols_dx = np.arange(-3, 4) * 3.0
    for k, part in enumerate(parts):
        # (to a nanometre of paper, so round-off never decides between equal leads)
        ends = {key: np.round(np.asarray(v, dtype=float).reshape(-1, 2), 6) for key, v in
                _ends(part, whole).items()}
        for key, edge, gap, anchor in (("L", x0 - GUTTER_GAP, st.LEAD_GAP, "end"),
                                       ("R", x1 + GUTTER_GAP, -st.LEAD_GAP, "start")):
            e = np.repeat(ends[key], len(rows_dy), axis=0)
            y = e[:, 1] + np.tile(rows_dy, len(ends[key]))
            blocks.append((np.column_stack([np.full(len(e), edge + gap), y]), e,
                           np.full(len(e), edge), y + digit / 2, anchor, key, k))
        for key, lead_y, base_y in (("T", y0 - BAND_GAP + st.LEAD_GAP, y0 - BAND_GAP + ey0 * size),
                                    ("B", y1 + BAND_GAP - st.LEAD_GAP, y1 + BAND_GAP + ey1 * size)):
            e = np.repeat(ends[key], len(cols_dx), axis=0)
            x = e[:, 0] + np.tile(cols_dx, len(ends[key]))
            blocks.append((np.column_stack([x, np.full(len(e), lead_y)]), e, x,
                           np.full(len(e), base_y), "middle", key, k))
        for deg in range(0, 360, 45):
            u = np.array([np.cos(np.radians(deg)), -np.sin(np.radians(deg))])
            # leave the box (grown by the gap) along the way to the end
            t = min((w / 2 + st.LEAD_GAP) / max(abs(u[0]), 1e-9),
                    (h / 2 + st.LEAD_GAP) / max(abs(u[1]), 1e-9))
            for d in FREE_DISTANCES:
                if d - t < 1.0 or not len(ends["F"]):
                    continue
                e = ends["F"]
                centre = e + d * u
                blocks.append((e + (d - t) * u, e, centre[:, 0],
                               centre[:, 1] + (ey0 + ey1) / 2 * size, "middle", f"F{deg}", k))
    blocks = [b for b in blocks if len(b[1])]
    if not blocks:
        return _empty(parts)
    arr = np.concatenate([np.column_stack([b[0], b[1]]) for b in blocks])
    tx = np.concatenate([b[2] for b in blocks])
    ty = np.concatenate([b[3] for b in blocks])
    counts = [len(b[1]) for b in blocks]
    anchors = np.repeat(np.array([b[4] for b in blocks]), counts)
    keys = np.repeat(np.array([b[5] for b in blocks]), counts)
    part_ix = np.repeat(np.array([b[6] for b in blocks]), counts)
    shift = np.repeat(np.array([{"start": 0.0, "middle": -w / 2, "end": -w}[b[4]]
                                for b in blocks]), counts)
    boxes = np.column_stack([tx + shift, ty - ey1 * size, tx + shift + w, ty - ey0 * size])
    base = _base(arr, boxes, panel)
    ok = (boxes[:, 0] >= lo) & (boxes[:, 2] <= hi) & (base < below)
    free = np.repeat(np.array([b[5].startswith("F") for b in blocks]), counts) & ok
    if free.any():
        padded = shapely.box(boxes[free, 0] - CLEAR, boxes[free, 1] - CLEAR,
                             boxes[free, 2] + CLEAR, boxes[free, 3] + CLEAR)
        ok[free] &= ~shapely.intersects(padded, drawing)
    return Candidates(base[ok], arr[ok, :2], arr[ok, 2:], tx[ok], ty[ok], anchors[ok],
                      boxes[ok], keys[ok], part_ix[ok], parts, target, others,
                      panel.shrunk)


def _base(segs: np.ndarray, boxes: np.ndarray, panel: Panel) -> np.ndarray:
    """The cost of leads (n, 4) before what they cross: length, and BAND_COST
    where the numeral's box (n, 4) stands above or below the drawing."""
    outside = (boxes[:, 1] < panel.frame[1] - CLEAR) | (boxes[:, 3] > panel.frame[3] + CLEAR)
    length = np.hypot(segs[:, 2] - segs[:, 0], segs[:, 3] - segs[:, 1])
    return np.asarray(length + BAND_COST * outside, dtype=float)


def _empty(parts: list[Polygon]) -> Candidates:
    z1, z2 = np.zeros(0), np.zeros((0, 2))
    return Candidates(z1, z2, z2, z1, z1, np.zeros(0, dtype=str), np.zeros((0, 4)),
                      np.zeros(0, dtype=str), np.zeros(0, dtype=int), parts)


def _ends(part: Polygon, whole: bool) -> dict[str, list[tuple[float, float]]]:
    """Where a lead may end in ``part``, by where its numeral stands: a little
    in from the end of horizontal chords facing a gutter (at 50, 30, 70, 15
    and 85 % of the height), of vertical chords facing a band (25, 50, 75 %
    of the width); for a numeral in clear space, the middle and both ends of
    the chord at half height and the ends of the one at half width. On the
    outline facing each side for a whole assembly."""
    minx, miny, maxx, maxy = part.bounds
    if whole:
        edge = part.exterior
        def on(px: float, py: float) -> tuple[float, float]:
            at = edge.interpolate(edge.project(shapely.Point(px, py)))
            return (float(at.x), float(at.y))
        mid_y, mid_x = (miny + maxy) / 2, (minx + maxx) / 2
        return {"L": [on(minx - 1, mid_y)], "R": [on(maxx + 1, mid_y)],
                "T": [on(mid_x, miny - 1)], "B": [on(mid_x, maxy + 1)], "F": []}
    out: dict[str, list[tuple[float, float]]] = {"L": [], "R": [], "T": [], "B": [], "F": []}
    fy = np.array([0.5, 0.3, 0.7, 0.15, 0.85])
    fx = np.array([0.25, 0.5, 0.75])
    ys, xs = miny + fy * (maxy - miny), minx + fx * (maxx - minx)
    rows = g.chords_at(part, np.array([0.0, 1.0]), np.array([1.0, 0.0]), ys)
    cols = g.chords_at(part, np.array([1.0, 0.0]), np.array([0.0, 1.0]), xs)
    for j, y in enumerate(ys.tolist()):
        for a, b in rows[j]:
            inset = min(1.5, (b - a) / 3)
            out["L"].append((a + inset, y))
            out["R"].append((b - inset, y))
            if j == 0:
                out["F"].extend([((a + b) / 2, y), (a + inset, y), (b - inset, y)])
    for j, x in enumerate(xs.tolist()):
        for a, b in cols[j]:
            inset = min(1.5, (b - a) / 3)
            out["T"].append((x, a + inset))
            out["B"].append((x, b - inset))
            if j == 1:
                out["F"].extend([(x, a + inset), (x, b - inset)])
    if not any(out.values()):
        inside = part.representative_point()
        for key in out:
            out[key].append((float(inside.x), float(inside.y)))
    return out


def keep_cost(keys: Sequence[str] | np.ndarray, ends: np.ndarray,
              before: tuple[str, tuple[float, float]] | None) -> np.ndarray:
    """What standing at ``keys`` with leads ending at ``ends`` (n, 2) adds for
    leaving where the numeral stood in the figure ``before`` (its key and its
    end, mm): KEY_COST for another key, MOVE_COST per mm the end moved (at
    most KEY_COST)."""
    if before is None:
        return np.zeros(len(keys))
    key, was = before
    moved = np.hypot(ends[:, 0] - was[0], ends[:, 1] - was[1]) if len(ends) else np.zeros(0)
    other = np.asarray(keys) != key
    return np.asarray(KEY_COST * other + MOVE_COST * np.minimum(moved, KEY_COST / MOVE_COST),
                      dtype=float)


def lead_cost(start: tuple[float, float], end: tuple[float, float],
              box: tuple[float, float, float, float], panel: Panel, target: BaseGeometry,
              others: list[BaseGeometry]) -> float:
    """The cost of one drawn lead (its numeral's ink ``box``), as
    ``candidates`` weighs it."""
    seg = np.array([[*start, *end]], dtype=float)
    crossed, inside = through(seg, target, others)
    return float(_base(seg, np.array([box], dtype=float), panel)[0]
                 + CROSSING_COST * crossed[0] + INSIDE_COST * inside[0])
