"""Canonical sections shared by the tests (lengths in µm)."""

from __future__ import annotations

from shapely.geometry import box

import xsection as xs

SLIT_W, SLIT_X = 30.0, 100.0  # opening width and centre
CU_TOP = 110.0  # silicon 10 + copper 100


def masked_copper(width: float = 200.0, slit: float = SLIT_W) -> xs.Section:
    """Copper on a silicon carrier under a 20 µm polyimide mask with one slit."""
    s = xs.stack(width=width, layers=[xs.Layer("silicon", 10.0, "1"),
                                      xs.Layer("copper", 100.0, "10"),
                                      xs.Layer("polyimide", 20.0, "12")])
    return xs.pattern(s, target="polyimide", remove=[(SLIT_X - slit / 2, SLIT_X + slit / 2)])


def with_wall(s: xs.Section, x: float, thickness: float, depth: float,
              material: str = "nickel") -> xs.Section:
    """Insert a vertical wall of ``material`` into the copper, from its top down ``depth``."""
    wall = box(x, CU_TOP - depth, x + thickness, CU_TOP)
    regions = [xs.Region(r.geometry.difference(wall), r.material, r.numeral)
               if r.material == "copper" else r for r in s.regions]
    return s.evolve([*regions, xs.Region(wall, material, "w")])


def floating_rect(w: float = 80.0, h: float = 40.0) -> xs.Section:
    """One free copper rectangle in the middle of a 200 µm domain."""
    return xs.Section(0.0, 200.0, (xs.Region(box(60.0, 0.0, 60.0 + w, h), "copper", "1"),))


def flush_pad(half_width: float, width: float = 600.0, pad_material: str = "copper"
              ) -> xs.Section:
    """A wettable pad of width 2a flush with polyimide on silicon; pad top at z = 60."""
    x = width / 2
    pad = box(x - half_width, 50.0, x + half_width, 60.0)
    pi = box(0.0, 50.0, width, 60.0).difference(pad)
    return xs.Section(0.0, width, (xs.Region(box(0.0, 0.0, width, 50.0), "silicon", "2"),
                                   xs.Region(pad, pad_material, "4"),
                                   xs.Region(pi, "polyimide", "3")))


def force_strips(monkeypatch, vertices: int) -> list[int]:
    """Lower the strip threshold to ``vertices`` and count the strips cut
    (``split_x`` is patched where the overlays and the fronts call it)."""
    from xsection.geometry import offsets, overlay

    monkeypatch.setattr(xs.tol, "tile_vertices", vertices)
    calls: list[int] = []
    split = overlay.split_x
    for mod in (overlay, offsets):
        monkeypatch.setattr(mod, "split_x", lambda geoms, edges, m: calls.append(len(edges)) or
                            split(geoms, edges, m))
    return calls
