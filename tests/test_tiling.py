"""Overlays done in x-strips must give the same sets as done whole.

Large inputs are cut into strips (geometry.tiled); these tests lower the
threshold so that small inputs take the strip path too, and compare.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
import shapely.affinity
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

import xsection as xs
from xsection import geometry as g

from .sections import force_strips
from .strategies import present, stacks


def blobs(seed: list[tuple[float, float, float]]) -> shapely.Geometry:
    """A union of discs (x, z, r) and the boxes under them: many vertices, holes possible."""
    parts = [Point(x, z).buffer(r, 16) for x, z, r in seed]
    parts += [box(x - r / 2, z - 2 * r, x + r / 2, z) for x, z, r in seed]
    return shapely.union_all(parts)


def hundredths(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.integers(int(lo * 100), int(hi * 100)).map(lambda v: v / 100)


DISCS = st.lists(st.tuples(hundredths(0, 400), hundredths(0, 60), hundredths(1, 30)),
                 min_size=1, max_size=12)


def strips_ran(monkeypatch) -> list[int]:
    """Lower the strip threshold and count the strips cut."""
    return force_strips(monkeypatch, 12)


@settings(max_examples=40, deadline=None)
@given(DISCS, DISCS)
def test_strip_overlays_equal_whole_overlays(a_seed, b_seed):
    a, b = blobs(a_seed), blobs(b_seed)
    whole = {"union": g.union([a, b]), "intersection": g.intersection(a, b),
             "difference": g.difference(a, b), "shared": g.shared_boundary(a, g.difference(
                 box(-50, -100, 450, 150), a))}
    with pytest.MonkeyPatch.context() as mp:
        calls = strips_ran(mp)
        strips = {"union": g.union([a, b]), "intersection": g.intersection(a, b),
                  "difference": g.difference(a, b), "shared": g.shared_boundary(a, g.difference(
                      box(-50, -100, 450, 150), a))}
    assert calls, "the strip path did not run"
    for name in ("union", "intersection", "difference"):
        got, want = strips[name], whole[name]
        assert got.is_valid, name
        assert got.symmetric_difference(want).area <= 1e-6 * max(1.0, want.area), name
        # glued: no part of the whole is split in two at a cut line
        assert len(g.polygons(got)) == len(g.polygons(want)), name
    assert abs(strips["shared"].length - whole["shared"].length) <= 1e-6 * whole["shared"].length


def test_tile_edges_are_nested_powers_of_two():
    coarse = g.tile_edges(3.0, 1000.0, 200.0)
    fine = g.tile_edges(3.0, 1000.0, 60.0)
    assert coarse[0] == 3.0 and coarse[-1] == 1000.0
    assert all(x % 128.0 == 0 for x in coarse[1:-1])
    assert all(x % 32.0 == 0 for x in fine[1:-1])
    assert set(coarse[1:-1]) <= set(fine[1:-1])  # the same cut lines, reused
    assert g.tile_edges(0.0, 0.5, 0.1) == [0.0, 0.5]  # never finer than 1 µm


def test_strips_computed_apart_glue_into_one_body():
    """Two halves of a disc computed separately (round-off apart at the cut)
    glue into one valid polygon of the disc's area."""
    disc = Point(0.0, 0.0).buffer(10.0, 64)
    shifted = shapely.affinity.translate(disc, 1e-12, 0.0)  # disagrees by round-off
    out = g.stitch_strips([disc, shifted], [-20.0, 0.3, 20.0], seam=1.0)
    assert out.geom_type == "Polygon" and out.is_valid
    assert abs(out.area - disc.area) < 1e-6


@settings(max_examples=25, deadline=None)
@given(stacks(), st.floats(0.5, 20.0), st.data())
def test_operators_give_the_same_section_in_strips(section, depth, data):
    """Etch then plate: strips or whole, every material covers the same area."""
    target = data.draw(st.sampled_from(present(section)))

    def flow() -> xs.Section:
        s = xs.etch(section, target=target, depth=depth)
        conductors = [m for m in present(s) if s.materials[m].conductive]
        if conductors:
            s = xs.plate(s, material="gold", thickness=depth / 4, on=conductors)
        return s

    try:
        whole = flow()
    except xs.GeometryError:
        return
    with pytest.MonkeyPatch.context() as mp:
        calls = strips_ran(mp)
        strips = flow()
    assume(calls)  # a stack too simple to cut has nothing to compare
    for mat in present(whole):
        a, b = whole.union_of(materials=[mat]), strips.union_of(materials=[mat])
        assert a.symmetric_difference(b).area <= 1e-3 * max(1.0, a.area), mat
    assert [lab.numeral for lab in whole.labels] == [lab.numeral for lab in strips.labels]


def test_ambient_for_a_smaller_margin_is_the_clip_of_the_cached_one():
    s = xs.stack(width=200.0, layers=[xs.Layer("copper", 30, "10"),
                                      xs.Layer("polyimide", 10, "12")])
    s = xs.pattern(s, target="polyimide", remove=[(50, 80), (120, 150)])
    wide = s.ambient(40.0)
    narrow = s.ambient(0.0)
    direct = g.difference(s.box(s._margin(0.0)), s.solid)
    assert narrow.symmetric_difference(direct).area < 1e-6
    assert wide.area > narrow.area
    # the mirrored section carries the mirrored ambient, equal to a fresh one
    from xsection.ops.common import mirror_z
    flipped = mirror_z(s)
    fresh = g.difference(flipped.box(flipped._margin(0.0)), flipped.solid)
    assert flipped.ambient(0.0).symmetric_difference(fresh).area < 1e-6


@settings(deadline=None, max_examples=int(__import__("os").environ.get("XSECTION_EXAMPLES",
                                                                         "40")))
@given(seed=st.lists(st.tuples(st.floats(0, 300), st.floats(0, 100), st.floats(2, 40)),
                     min_size=1, max_size=6),
       d=st.floats(0.3, 25))
def test_thin_arcs_drops_fillet_vertices_within_its_tolerance(seed, d):
    """Offsetting an offset adds a fillet vertex at every old arc vertex;
    thinning at tol.arc × d keeps the set within that distance (holes too)
    and never adds vertices."""
    body = blobs(seed)
    grown = shapely.buffer(shapely.buffer(body, d, quad_segs=xs.tol.quad_segs()), d,
                           quad_segs=xs.tol.quad_segs())
    tolerance = xs.tol.arc * d
    thin = g.thin_arcs(grown, tolerance)
    assert shapely.get_num_coordinates(thin) < shapely.get_num_coordinates(grown)
    assert shapely.hausdorff_distance(thin.boundary, grown.boundary, densify=0.05) <= \
        tolerance + 2 * xs.tol.grid
    assert len(g.polygons(thin)) == len(g.polygons(grown))
    assert sum(len(p.interiors) for p in g.polygons(thin)) == \
        sum(len(p.interiors) for p in g.polygons(grown))


@settings(deadline=None, max_examples=int(__import__("os").environ.get("XSECTION_EXAMPLES",
                                                                         "40")))
@given(pts=st.lists(st.tuples(st.floats(-200, 200).map(lambda v: round(v, 4)),
                              st.floats(-200, 200).map(lambda v: round(v, 4))),
                    min_size=2, max_size=12, unique=True),
       d=st.floats(0.5, 30))
def test_offset_vertex_estimate_is_within_a_factor_two_of_the_buffer(pts, d):
    """The tile count of a geodesic offset rests on this estimate: never far
    under (a tile would hold more than planned); for a line that does not
    cross or fold onto itself (whose caps and arcs would merge), not far over."""
    from xsection.geometry.offsets import offset_vertices

    line = shapely.LineString(pts)
    assume(line.length > 1e-3)
    made = shapely.get_num_coordinates(shapely.buffer(line, d, quad_segs=xs.tol.quad_segs()))
    guess = offset_vertices(line)
    assert made / 2 <= guess
    if line.is_simple:
        assert guess <= 2 * made + 8


@settings(deadline=None, max_examples=int(__import__("os").environ.get("XSECTION_EXAMPLES",
                                                                         "25")))
@given(x=st.lists(st.floats(-400, 400), min_size=4, max_size=4, unique=True),
       h=st.floats(0.5, 200), h2=st.floats(0.5, 200), lift=st.floats(-0.9, 0.9),
       split=st.floats(0.05, 0.95), angle=st.floats(0, 180))
def test_shared_boundary_is_the_overlap_of_touching_faces(x, h, h2, lift, split, angle):
    """A box on another shares the overlap of its bottom and the other's top
    (min of the right ends less max of the left ends), whatever the frame
    (the pair turned by any angle), with the upper box's face off by under
    tol.touch and cut by a vertex the lower box does not have. Lifted by
    three tol.touch, nothing is shared."""
    x0, x1, x2, x3 = x[0], max(x[0], x[1]) + 1.0, x[2], max(x[2], x[3]) + 1.0
    x0 = min(x0, x[1])
    t = xs.tol.touch
    lower = box(x0, 0, x1, h)
    cut = x2 + split * (x3 - x2)
    upper = shapely.Polygon([(x2, h + lift * t), (cut, h + lift * t), (x3, h + lift * t),
                             (x3, h + h2), (x2, h + h2)])
    expected = max(0.0, min(x1, x3) - max(x0, x2))
    turn = lambda geom: shapely.affinity.rotate(geom, angle, origin=(0, 0))  # noqa: E731
    shared = g.shared_boundary(turn(lower), turn(upper))
    # (where the faces overlap by under tol.touch, so may their side edges)
    assert shared.length == pytest.approx(expected, abs=2 * t)
    assert g.shared_boundary(turn(upper), turn(lower)).length == pytest.approx(expected,
                                                                               abs=2 * t)
    apart = shapely.affinity.translate(upper, 0, 3 * t)
    assert g.shared_boundary(turn(lower), turn(apart)).length <= 1e-6


@settings(deadline=None, max_examples=int(__import__("os").environ.get("XSECTION_EXAMPLES",
                                                                         "25")))
@given(widths=st.lists(st.floats(0.5, 40), min_size=1, max_size=30),
       gaps=st.lists(st.floats(0.0, 20), min_size=30, max_size=30),
       h=st.floats(0.5, 30), x0=st.floats(-300, 300))
def test_shared_lengths_of_boxes_on_a_base_are_their_widths(widths, gaps, h, x0):
    """Boxes of real widths stood on a base share their width with it (the
    ends of the row hang over by nothing); with the base moved away by three
    tol.touch, they share nothing. All boxes in one call."""
    xs_ = np.cumsum([x0] + [w + g_ for w, g_ in zip(widths, gaps)])
    boxes = [box(a, h, a + w, h + 5.0) for a, w in zip(xs_, widths)]
    base = box(xs_[0], 0.0, xs_[len(widths) - 1] + widths[-1], h)
    got = g.shared_lengths(boxes, base)
    assert got == pytest.approx(widths, abs=1e-9 * (1 + abs(x0) + sum(widths) + sum(gaps)))
    away = shapely.affinity.translate(base, 0, -3 * xs.tol.touch)
    assert np.all(g.shared_lengths(boxes, away) == 0)


@settings(deadline=None, max_examples=int(__import__("os").environ.get("XSECTION_EXAMPLES",
                                                                         "25")))
@given(x0=st.floats(-300, 300), w=st.floats(1.0, 300), a=st.floats(0.05, 0.45),
       b=st.floats(0.55, 0.95), h=st.floats(0.5, 100), h2=st.floats(0.5, 100),
       angle=st.floats(0, 360), sink=st.floats(0.02, 0.98))
def test_touching_bodies_glue_edge_to_edge_and_overlapping_ones_do_not(x0, w, a, b, h, h2,
                                                                       angle, sink):
    """A box stood on a wider one (whose top edge lacks the upper box's two
    corners) at any real position and any angle: the lower one takes the
    two corners as vertices, and the glued union has the sum of the areas,
    is one valid polygon holding both. Sunk into the lower box by a
    fraction ``sink`` of the thinner box, the two overlap and gluing refuses."""
    turn = lambda geom: shapely.affinity.rotate(geom, angle, origin=(0, 0))  # noqa: E731
    lower = box(x0, 0.0, x0 + w, h)
    u0, u1 = x0 + a * w, x0 + b * w
    upper = box(u0, h, u1, h + h2)
    lo, up = g.clean(turn(lower)), g.clean(turn(upper))
    noded = g.with_vertices(lo, shapely.get_coordinates(up))
    assert shapely.get_num_coordinates(noded) == 5 + 2  # closed ring of 4 corners, plus 2
    glued = g.union_touching([lo, up])
    assert glued is not None
    assert glued.geom_type == "Polygon" and glued.is_valid
    # (corners snapped to the grid move each side by up to a grid step)
    rim = 2 * (w + h) + 2 * (u1 - u0 + h2)
    assert glued.area == pytest.approx(w * h + (u1 - u0) * h2, abs=rim * xs.tol.grid)
    # both lie in it (an overlay may leave a slit under a grid step between
    # them where the turned corners sit off the lower edge; the glue does not)
    assert lo.difference(glued).area <= rim * xs.tol.grid
    assert up.difference(glued).area <= rim * xs.tol.grid
    sunk = g.clean(turn(shapely.affinity.translate(upper, 0.0, -sink * min(h, h2))))
    assert g.union_touching([lo, sunk]) is None


def test_a_body_over_matter_is_cut_to_the_ambient():
    """add_body keeps only what lies in the ambient: a box over a copper
    step loses the part inside the copper (the glue refuses, the overlay
    cuts), and a film laid on the copper is kept whole."""
    from xsection.ops.common import add_body

    s = xs.stack(width=100.0, layers=[xs.Layer("copper", 10.0)])
    over = add_body(s, box(20.3, 5.7, 60.9, 30.1), "nickel", None)
    ni = over.union_of(materials=["nickel"])
    assert ni.area == pytest.approx((60.9 - 20.3) * (30.1 - 10.0), rel=1e-9)
    on = add_body(s, box(20.3, 10.0, 60.9, 13.3), "nickel", None)
    assert on.union_of(materials=["nickel"]).area == pytest.approx(40.6 * 3.3, rel=1e-9)
    assert on.solid.area == pytest.approx(100.0 * 10.0 + 40.6 * 3.3, rel=1e-9)
    assert len(g.polygons(on.solid)) == 1


@settings(max_examples=int(__import__("os").environ.get("XSECTION_EXAMPLES", "25")),
          deadline=None)
@given(DISCS, st.floats(-30.0, 30.0), st.floats(0.0, 1.0))
def test_matter_shares_its_whole_boundary_with_its_ambient(seed, dx, lift):
    """Blobs (holes possible) and the ambient cut from a box round them meet
    along the blobs' whole boundary (edges equal end for end). A floor under
    the box, its top off the box's bottom by under tol.touch (equal edges
    when 0), shares the box's whole width with the ambient."""
    a = g.clean(shapely.affinity.translate(blobs(seed), dx, 0.0))
    room = box(-100.0, -100.0, 500.0, 200.0)
    ambient = g.difference(room, a)
    assert g.shared_boundary(a, ambient).length == pytest.approx(a.boundary.length, rel=1e-9)
    assert g.shared_lengths([a], ambient)[0] == pytest.approx(a.boundary.length, rel=1e-9)
    floor = box(-100.0, -105.0, 500.0, -100.0 - lift * 0.5 * xs.tol.touch)
    assert g.shared_boundary(floor, ambient).length == pytest.approx(600.0, abs=1e-6)


@settings(deadline=None, max_examples=int(__import__("os").environ.get("XSECTION_EXAMPLES",
                                                                         "25")))
@given(x0=st.floats(-300, 300), w=st.floats(5.0, 300), h=st.floats(1.0, 100),
       cuts=st.lists(st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.05, 0.9)),
                     min_size=1, max_size=5),
       angle=st.floats(0, 360), reverse=st.booleans())
def test_splice_cuts_rectangular_notches_into_a_face(x0, w, h, cuts, angle, reverse):
    """Runs on a box's top face (at real places, any angle, given either way
    round) replaced by paths down, across and up: the box loses each notch's
    area (run length times depth), stays one valid polygon, and each notch's
    floor is a line of the boundary. Runs that overlap, or one off the face,
    are refused."""
    spans = []
    for a, b, depth in cuts:
        lo, hi = sorted((x0 + 0.05 * w + 0.9 * w * a, x0 + 0.05 * w + 0.9 * w * b))
        if hi - lo > 1e-3 and all(hi < s0 - 1e-3 or lo > s1 + 1e-3 for s0, s1, _ in spans):
            spans.append((lo, hi, depth * h))
    assume(spans)
    turn = lambda xy: np.asarray(shapely.get_coordinates(shapely.affinity.rotate(  # noqa: E731
        shapely.MultiPoint(xy), angle, origin=(0, 0))))
    body = g.clean(shapely.affinity.rotate(box(x0, 0.0, x0 + w, h), angle, origin=(0, 0)))
    starts = turn([(lo, h) for lo, _, _ in spans])
    ends = turn([(hi, h) for _, hi, _ in spans])
    paths = np.stack([turn([(lo, h - dd), (hi, h - dd)]) for lo, hi, dd in spans])
    if reverse:
        starts, ends, paths = ends, starts, paths[:, ::-1]
    cut = g.splice(body, starts, ends, paths)
    assert cut is not None and cut.is_valid and cut.geom_type == "Polygon"
    lost = sum((hi - lo) * dd for lo, hi, dd in spans)
    assert body.area - cut.area == pytest.approx(lost, abs=1e-6 * (1 + w + h))
    floors = shapely.multilinestrings([[p, q] for p, q in paths])
    assert cut.boundary.buffer(1e-6).covers(floors)
    lo = spans[0][0]
    both = np.concatenate([starts[:1], starts[:1]])
    assert g.splice(body, both, np.concatenate([ends[:1], ends[:1]]),
                    np.concatenate([paths[:1], paths[:1]])) is None  # the same run twice
    off = turn([(lo, h + 1.0)])
    assert g.splice(body, off, ends[:1], paths[:1]) is None
