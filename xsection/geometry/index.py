"""A spatial index of the parts of many bodies, large parts cut into x-strips."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from ..tolerances import tol
from .overlay import split_x, tile_edges
from .shapes import polygons


class PartIndex:
    """The polygon parts of many bodies in an STRtree, parts over
    ``tol.tile_vertices`` vertices cut into x-strips first, so a query near one
    feature costs what lies near it, never the size of the whole section.

    query(x0, z0, x1, z1) -> (owner indices, pieces) whose boxes meet the window.
    """

    def __init__(self, geoms: Sequence[BaseGeometry]) -> None:
        pieces: list[BaseGeometry] = []
        owners: list[int] = []
        for k, gm in enumerate(geoms):
            for part in polygons(gm):
                n = int(shapely.get_num_coordinates(part))
                cut = [part]
                x0, _, x1, _ = part.bounds
                if n > tol.tile_vertices and x1 > x0:
                    edges = tile_edges(x0, x1, (x1 - x0) * tol.tile_vertices / n)
                    cut = [c for strip in split_x([part], edges, 0.0) for c in polygons(strip[0])]
                pieces.extend(cut)
                owners.extend([k] * len(cut))
        self.pieces = np.array(pieces, dtype=object)
        self.owners = np.array(owners, dtype=int)
        self.tree = shapely.STRtree(self.pieces)

    def query(self, x0: float, z0: float, x1: float, z1: float
              ) -> tuple[np.ndarray, np.ndarray]:
        hit = np.sort(self.tree.query(box(x0, z0, x1, z1)))
        return self.owners[hit], self.pieces[hit]
