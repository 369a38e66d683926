"""Every tolerance and the arc resolution, in one place (lengths in µm).

``tol.strict`` switches on the invariant checks that every new ``Section``
runs (the test suite turns it on).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Tolerances:
    """Numerical tolerances shared by every module.

    grid: coordinate precision of every stored polygon, µm.
    area: largest overlap or sliver area that counts as nothing, µm².
    touch: distance at which two bodies count as touching, µm.
    arc: largest Hausdorff distance of a drawn arc from the true circle,
        relative to its radius.
    front_step: largest step of a geodesic front (etch, plating), µm; walls
        thinner than this are still never crossed, but corners around
        obstacles are resolved to about this length.
    volume: relative accuracy of volume solves (reflow).
    max_length: largest length or |coordinate|, µm: a double holds about 15
        digits, so on the 1e-7 µm grid nothing beyond 1e8 µm (100 m) stays exact.
    tile_vertices: above this many vertices an overlay works in x-strips of
        about this many (GEOS on one huge polygon grows as N^1.5).
    strip_vertices: the strips' size where all strips are overlaid in one
        vectorised call (no Python per strip, so they can be small).
    probe: a step off a face or a level (µm, or relative to the size probed)
        that asks which side of it is which; far above the grid, far below
        any feature.
    slack: relative slack when two computed quantities should be equal.
    sample_step: half-length (µm) of the chord that gives a face's direction
        at a sample point (film thickness on walls vs faces).
    strict: run the invariant checks on every new section.
    """

    grid: float = 1e-7
    area: float = 1e-6
    touch: float = 1e-4
    arc: float = 1e-3
    front_step: float = 0.5
    volume: float = 1e-9
    max_length: float = 1e8
    tile_vertices: int = 3000
    strip_vertices: int = 1000
    probe: float = 1e-6
    slack: float = 1e-9
    sample_step: float = 1e-3
    strict: bool = False

    def arc_step(self) -> float:
        """Largest angle (rad) between arc vertices that keeps the arc error."""
        return 2.0 * math.acos(1.0 - self.arc)

    def quad_segs(self) -> int:
        """Segments per quarter circle for shapely buffers at this arc error."""
        return max(1, math.ceil((math.pi / 2) / self.arc_step()))


tol = Tolerances()
