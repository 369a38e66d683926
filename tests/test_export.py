"""Export: GDS and DXF read back to the section's polygons, material by
material; the mesh is conforming (every interface edge shared by two
triangles), its groups tile the bodies without overlap and hold each body's
area, and the CLI writes nothing when it fails."""

from __future__ import annotations

import os

import ezdxf
import gdstk
import gmsh
import meshio
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box
from shapely.ops import unary_union

import xsection as xs
from xsection.cli import main
from xsection.export import (
    GDS_PRECISION,
    MESH_GRID,
    material_layers,
    mesh,
    write_dxf,
    write_gds,
)
from xsection.recipe import load

EXAMPLES = int(os.environ.get("XSECTION_EXAMPLES", "25"))
GRID = GDS_PRECISION / 1e-6  # µm


def framed(w: float, h: float, t: float) -> xs.Section:
    """A copper frame (w × w square with an h × h hole) around a solder
    core, on a silicon base t thick: the frame is one polygon with a hole."""
    frame = box(0, t, w, t + w).difference(box((w - h) / 2, t + (w - h) / 2,
                                               (w + h) / 2, t + (w + h) / 2))
    core = box((w - h) / 2, t + (w - h) / 2, (w + h) / 2, t + (w + h) / 2)
    return xs.Section(0.0, w, (xs.Region(box(0, 0, w, t), "silicon", "5"),
                               xs.Region(frame, "copper", "10"),
                               xs.Region(core, "Sn63Pb37", "12")))


def by_material(section: xs.Section) -> dict[str, Polygon]:
    return {m: section.union_of(materials=[m]) for m in material_layers(section)}


def assert_same(read: dict, section: xs.Section, slack: float) -> None:
    """Each material's polygons equal the section's to ``slack`` µm per µm
    of outline (the file's grid)."""
    want = by_material(section)
    assert set(read) == set(want)
    for m, geom in want.items():
        assert read[m].symmetric_difference(geom).area <= slack * geom.length + 1e-12, m


def gds_back(path: str, section: xs.Section) -> dict[str, Polygon]:
    lib = gdstk.read_gds(path, unit=1e-6)
    (cell,) = lib.top_level()
    layers = {n: m for m, n in material_layers(section).items()}
    out: dict[str, list[Polygon]] = {}
    for poly in cell.polygons:
        out.setdefault(layers[poly.layer], []).append(Polygon(poly.points).buffer(0))
    return {m: unary_union(ps) for m, ps in out.items()}


def dxf_back(path: str) -> dict[str, Polygon]:
    """Per layer, the even-odd area of its closed polylines (outline minus holes)."""
    out: dict[str, Polygon] = {}
    for e in ezdxf.readfile(path).modelspace().query("LWPOLYLINE"):
        ring = Polygon([(x, y) for x, y, *_ in e.get_points()])
        layer = e.dxf.layer
        out[layer] = out[layer].symmetric_difference(ring) if layer in out else ring
    return out


def test_gds_reads_back_to_the_frame_with_its_hole(tmp_path) -> None:
    w, h, t = 41.37, 17.29, 6.113
    s = framed(w, h, t)
    path = write_gds(s, str(tmp_path / "f.gds"))
    back = gds_back(path, s)
    assert back["copper"].area == pytest.approx(w * w - h * h, abs=4 * w * GRID)
    assert back["Sn63Pb37"].area == pytest.approx(h * h, abs=4 * h * GRID)
    assert_same(back, s, GRID)
    labels = {lab.text for lab in gdstk.read_gds(path).top_level()[0].labels}
    assert labels == {"silicon 5", "copper 10", "Sn63Pb37 12"}


def test_dxf_reads_back_to_the_frame_with_its_hole(tmp_path) -> None:
    w, h, t = 41.37, 17.29, 6.113
    s = framed(w, h, t)
    back = dxf_back(write_dxf(s, str(tmp_path / "f.dxf")))
    assert back["copper"].area == pytest.approx(w * w - h * h, rel=1e-12)
    assert_same(back, s, 1e-12)
    doc = ezdxf.readfile(str(tmp_path / "f.dxf"))
    assert doc.units == 13  # microns
    assert {e.dxf.layer for e in doc.modelspace().query("HATCH")} == set(material_layers(s))


@pytest.mark.parametrize("name", ["cu_pillar", "c4_joint"])
def test_gds_and_dxf_of_a_flow_read_back(tmp_path, name: str) -> None:
    s = load(name).figures()[-1].section
    assert_same(gds_back(write_gds(s, str(tmp_path / "s.gds")), s), s, GRID)
    assert_same(dxf_back(write_dxf(s, str(tmp_path / "s.dxf"))), s, 1e-9)


def triangle_areas(m) -> np.ndarray:
    a = m.points[m.triangles]
    return 0.5 * np.abs((a[:, 1, 0] - a[:, 0, 0]) * (a[:, 2, 1] - a[:, 0, 1])
                        - (a[:, 2, 0] - a[:, 0, 0]) * (a[:, 1, 1] - a[:, 0, 1]))


def assert_conforming_tiling(m, s: xs.Section) -> None:
    """Every body's triangles hold its area; no triangle lies outside its
    body; every edge used once lies on the outline of all the bodies (so
    every interface edge is shared: the mesh is conforming)."""
    areas = triangle_areas(m)
    assert (areas > 0).all()
    for k, region in enumerate(s.regions):
        got = areas[m.body == k].sum()
        # exact but for the snap-rounding grid along the outline
        assert got == pytest.approx(region.geometry.area, abs=MESH_GRID * region.geometry.length)
        centroids = m.points[m.triangles[m.body == k]].mean(axis=1)
        grown = region.geometry.buffer(2 * MESH_GRID)
        assert all(grown.contains(xs_point(c)) for c in centroids[:: max(1, len(centroids) // 50)])
    assert areas.sum() == pytest.approx(sum(r.geometry.area for r in s.regions),
                                        abs=MESH_GRID * sum(r.geometry.length for r in s.regions))
    edges = np.sort(np.concatenate([m.triangles[:, [0, 1]], m.triangles[:, [1, 2]],
                                    m.triangles[:, [2, 0]]]), axis=1)
    unique, counts = np.unique(edges, axis=0, return_counts=True)
    assert counts.max() == 2
    outline = unary_union([r.geometry for r in s.regions]).boundary.buffer(2 * MESH_GRID)
    for a, b in unique[counts == 1]:
        mid = (m.points[a] + m.points[b]) / 2
        assert outline.contains(xs_point(mid)), (m.points[a], m.points[b])
    for name, tris in m.groups.items():  # groups: one per body and one per material
        assert len(tris) > 0, name


def xs_point(c):
    from shapely.geometry import Point
    return Point(float(c[0]), float(c[1]))


def test_mesh_of_the_frame_is_conforming_and_exact(tmp_path) -> None:
    w, h, t = 41.37, 17.29, 6.113
    s = framed(w, h, t)
    m = mesh(s, size_max=3.0, path=str(tmp_path / "f.msh"))
    assert_conforming_tiling(m, s)
    assert triangle_areas(m)[m.body == 1].sum() == pytest.approx(w * w - h * h,
                                                                 abs=MESH_GRID * 4 * (w + h))
    tri = m.points[m.triangles]
    longest = np.linalg.norm(tri - np.roll(tri, 1, axis=1), axis=2).max()
    assert longest <= 3.0 * 1.5  # gmsh honours the size to its own slack
    assert set(m.groups) == {"silicon:5#0", "copper:10#1", "Sn63Pb37:12#2", "silicon",
                             "copper", "Sn63Pb37"}
    gmsh.initialize(interruptible=False)
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.open(str(tmp_path / "f.msh"))
        names = {gmsh.model.getPhysicalName(d, t) for d, t in gmsh.model.getPhysicalGroups()}
    finally:
        gmsh.finalize()
    assert names == set(m.groups)


@pytest.mark.parametrize("name", ["cu_pillar", "seed001"])
def test_mesh_of_a_flow_is_conforming(name: str) -> None:
    s = load(name).figures()[-1].section
    assert_conforming_tiling(mesh(s), s)


@settings(max_examples=EXAMPLES, deadline=None)
@given(width=st.floats(60.0, 250.0), t_cu=st.floats(3.0, 40.0), opening=st.floats(0.1, 0.6),
       depth=st.floats(0.5, 1.0), film=st.floats(0.2, 4.0))
def test_mesh_of_any_etched_and_plated_stack(width, t_cu, opening, depth, film) -> None:
    """Real-valued sizes: a masked copper layer etched isotropically and
    plated; the mesh tiles every body (undercut arcs, thin films)."""
    s = xs.stack(width=width, layers=[xs.Layer("silicon", 10.0), xs.Layer("copper", t_cu, "10"),
                                       xs.Layer("polyimide", 5.0, "12")])
    a = width * (0.5 - opening / 2)
    s = xs.pattern(s, target="polyimide", remove=[(a, width - a)])
    s = xs.etch(s, target="copper", depth=depth * t_cu * 0.9)
    s = xs.plate(s, material="nickel", thickness=film, on="copper")
    m = mesh(s)
    assert_conforming_tiling(m, s)
    assert (m.body == next(k for k, r in enumerate(s.regions)
                           if r.material == "nickel")).any()  # the film is meshed


def test_vtu_carries_body_and_material_per_triangle(tmp_path) -> None:
    path = str(tmp_path / "f.vtu")
    assert main(["export", "cu_pillar", "-o", path, "--quiet"]) == 0
    back = meshio.read(path)
    section = load("cu_pillar").figures()[-1].section
    (tris,) = [c.data for c in back.cells if c.type == "triangle"]
    body = back.cell_data["body"][0]
    assert len(tris) == len(body)
    assert set(np.unique(body)) == set(range(len(section.regions)))
    material = back.cell_data["material"][0]
    names = {n - 1: m for m, n in material_layers(section).items()}
    for k, region in enumerate(section.regions):  # each body's triangles carry its material
        assert {names[int(i)] for i in np.unique(material[body == k])} == {region.material}


def test_cli_export_formats_and_errors(tmp_path, capsys) -> None:
    for fmt in ("gds", "dxf", "msh"):
        path = str(tmp_path / f"s.{fmt}")
        assert main(["export", "c4_joint", "-o", path]) == 0
        assert os.path.getsize(path) > 0
    assert "1/0" in capsys.readouterr().out  # the layer map is printed for GDS
    before = sorted(os.listdir(tmp_path))
    assert main(["export", "c4_joint", "-o", str(tmp_path / "s2.msh"), "--mesh-size", "-1"]) == 2
    assert main(["export", "c4_joint", "--figure", "9Z", "-o", str(tmp_path / "x.gds")]) == 2
    assert main(["export", "c4_joint", "-o", str(tmp_path / "x.step")]) == 2
    assert main(["export", "c4_joint", "-o", str(tmp_path / "none" / "x.gds")]) == 2
    assert sorted(os.listdir(tmp_path)) == before  # nothing written, nothing half-written
    err = capsys.readouterr().err
    assert "'size_max' must be a length > 0" in err
    assert "figure '9Z' does not exist; figures: 1A" in err
    assert "cannot tell the format of" in err
    assert "no folder" in err
