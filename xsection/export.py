"""A section out to CAD and FEM: GDSII and DXF with one layer per material,
and a conforming 2D triangle mesh (gmsh; .msh, or .vtu through meshio)
with one physical group per body and one per material::

    section (x, z in µm)        GDS/DXF layers          mesh (.msh / .vtu)
    +--------+--------+         1/0 copper              triangles sharing
    | Cu 10  | PI 12  |   ->    2/0 polyimide     ->    every interface node;
    +--------+--------+         (labels: numerals)      groups "copper:10", ...

The section's x and z are the files' x and y, in µm. GDS holds polygons
without holes (a hole is joined to its outline by a zero-width slit), on a
0.1 nm grid.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import LineString, MultiLineString, Polygon

from .errors import InputError
from .flow import Flow
from .section import Section

FORMATS = ("gds", "dxf", "msh", "vtu")
#: The mesh's snap-rounding grid (µm): bodies' outlines are noded on it, so
#: vertices nearer than this to another body's edge join it (no slivers).
MESH_GRID = 1e-6
#: GDS database unit (m): 0.1 nm holds sections up to 200 mm in 32-bit integers.
GDS_PRECISION = 1e-10
#: gdstk's boolean works on a grid (µm): a tenth of the file's, so cutting a
#: hole's slit moves nothing the file would keep.
BOOLEAN_PRECISION = GDS_PRECISION / 1e-6 / 10


def material_layers(section: Section) -> dict[str, int]:
    """The GDS layer number (from 1) of each material in the section, in the
    order of the material library (stable from figure to figure)."""
    present = {r.material for r in section.regions}
    names = [m for m in section.materials if m in present]
    return {m: i for i, m in enumerate(names, start=1)}


def _parts(section: Section) -> Iterable[tuple[int, str, str | None, Polygon]]:
    """(body index, material, numeral, polygon) for every part of every body."""
    for k, region in enumerate(section.regions):
        for part in region.parts:
            yield k, region.material, region.numeral, part


def _need(module: str, extra: str) -> Any:
    try:
        return __import__(module)
    except ImportError:
        raise InputError(f"export: needs {module}: pip install 'xsection[{extra}]'") from None


def write_gds(section: Section, path: str, *, cell: str = "SECTION") -> str:
    """GDSII: one layer per material (``material_layers``), datatype 0; a
    text label with the material and numeral on each body."""
    gdstk = _need("gdstk", "export")
    lib = gdstk.Library(unit=1e-6, precision=GDS_PRECISION)
    top = lib.new_cell(cell)
    layers = material_layers(section)
    for _, material, numeral, part in _parts(section):
        layer = layers[material]
        outline = gdstk.Polygon(list(part.exterior.coords)[:-1], layer=layer)
        if part.interiors:
            holes = [gdstk.Polygon(list(r.coords)[:-1]) for r in part.interiors]
            pieces = gdstk.boolean(outline, holes, "not", precision=BOOLEAN_PRECISION,
                                   layer=layer)
        else:
            pieces = [outline]
        top.add(*pieces)
        at = part.representative_point()
        top.add(gdstk.Label(f"{material} {numeral or ''}".strip(), (at.x, at.y), layer=layer))
    return _staged(path, ".gds", lambda tmp: lib.write_gds(tmp))


def write_dxf(section: Section, path: str) -> str:
    """DXF (R2018, units µm): one layer per material holding each part's
    outline and holes as closed polylines and a solid hatch; numerals as
    text on layer NUMERALS."""
    ezdxf = _need("ezdxf", "export")
    doc = ezdxf.new("R2018")
    doc.units = 13  # $INSUNITS 13: microns
    msp = doc.modelspace()
    for i, material in enumerate(material_layers(section)):
        doc.layers.add(material, color=1 + i % 255)
    doc.layers.add("NUMERALS", color=7)
    for _, material, numeral, part in _parts(section):
        rings = [part.exterior, *part.interiors]
        for ring in rings:
            msp.add_lwpolyline(list(ring.coords)[:-1], close=True,
                               dxfattribs={"layer": material})
        hatch = msp.add_hatch(dxfattribs={"layer": material})
        for ring in rings:
            hatch.paths.add_polyline_path(list(ring.coords)[:-1], is_closed=True)
        if numeral:
            at = part.representative_point()
            msp.add_text(numeral, height=max(section.width / 100, 0.1),
                         dxfattribs={"layer": "NUMERALS", "insert": (at.x, at.y)})
    return _staged(path, ".dxf", lambda tmp: doc.saveas(tmp))


@dataclass(frozen=True)
class Mesh:
    """A conforming triangle mesh of a section: ``points`` (n × 2, µm),
    ``triangles`` (m × 3 point indices), and per triangle the index of its
    body (``section.regions``) and of its material (``materials``)."""

    points: Any
    triangles: Any
    body: Any
    material: Any
    materials: tuple[str, ...]
    groups: dict[str, tuple[int, ...]]  # physical group name -> its triangles


def faces(section: Section) -> list[tuple[int, Polygon]]:
    """The section cut into faces that share every vertex on every
    interface (the bodies' outlines snap-rounded together on ``MESH_GRID``,
    so a vertex a hair off its neighbour's edge is put on it), each with its
    body."""
    lines = [ring for _, _, _, part in _parts(section)
             for ring in (part.exterior, *part.interiors)]
    noded = shapely.unary_union([LineString(r.coords) for r in lines], grid_size=MESH_GRID)
    segs = noded.geoms if isinstance(noded, MultiLineString) else [noded]
    out = []
    tree_bodies = [r.geometry for r in section.regions]
    tree = shapely.STRtree(tree_bodies)
    room = section.ambient()
    for face in shapely.polygonize(list(segs)).geoms:
        if face.area <= 0 or not isinstance(face, Polygon):
            continue
        inside = face.representative_point()
        hits = [int(k) for k in tree.query(inside, predicate="intersects")]
        if not hits and not room.contains(inside):  # a sliver the snap-rounding made
            hits = [int(tree.query_nearest(inside)[0])]
        if hits:  # else a void inside the section
            out.append((hits[0], face))
    return out


def mesh(section: Section, *, size_max: float | None = None, size_min: float | None = None,
         path: str | None = None) -> Mesh:
    """Mesh the section with gmsh (Delaunay, conforming at every interface);
    ``size_max``/``size_min`` bound the element size (µm; default: gmsh's,
    from the geometry). With ``path`` (.msh) also writes gmsh's file, with
    physical groups named ``material:numeral#k`` per body and ``material``."""
    gmsh = _need("gmsh", "export")
    import numpy as np

    for name, value in (("size_max", size_max), ("size_min", size_min)):
        if value is not None and not (isinstance(value, (int, float)) and value > 0):
            raise InputError(f"export: '{name}' must be a length > 0 in µm (got {value!r})")
    cut = faces(section)
    gmsh.initialize(interruptible=False)
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.model.add("section")
        points: dict[tuple[float, float], int] = {}
        lines: dict[tuple[int, int], int] = {}

        def point(c: tuple[float, float]) -> int:
            if c not in points:
                points[c] = gmsh.model.geo.addPoint(c[0], c[1], 0.0)
            return points[c]

        def loop(ring: Any) -> int:
            tags = [point((float(x), float(z))) for x, z in list(ring.coords)[:-1]]
            edges = []
            for a, b in zip(tags, tags[1:] + tags[:1]):
                if (b, a) in lines:
                    edges.append(-lines[(b, a)])
                else:
                    lines.setdefault((a, b), gmsh.model.geo.addLine(a, b))
                    edges.append(lines[(a, b)])
            return int(gmsh.model.geo.addCurveLoop(edges))

        surfaces: list[tuple[int, int]] = []  # (surface tag, body)
        for body, face in cut:
            face = shapely.geometry.polygon.orient(face)
            rings = [loop(face.exterior)] + [loop(r) for r in face.interiors]
            surfaces.append((gmsh.model.geo.addPlaneSurface(rings), body))
        gmsh.model.geo.synchronize()
        if size_max is not None:
            gmsh.option.setNumber("Mesh.MeshSizeMax", float(size_max))
        if size_min is not None:
            gmsh.option.setNumber("Mesh.MeshSizeMin", float(size_min))
        names = tuple(material_layers(section))
        by_body: dict[int, list[int]] = {}
        for tag, body in surfaces:
            by_body.setdefault(body, []).append(tag)
        for body, tags in sorted(by_body.items()):
            region = section.regions[body]
            group = gmsh.model.addPhysicalGroup(2, tags)
            gmsh.model.setPhysicalName(2, group, f"{region.material}:{region.numeral or ''}"
                                                 f"#{body}")
        for name in names:
            tags = [t for t, b in surfaces if section.regions[b].material == name]
            gmsh.model.setPhysicalName(2, gmsh.model.addPhysicalGroup(2, tags), name)
        gmsh.model.mesh.generate(2)
        node_tags, coords, _ = gmsh.model.mesh.getNodes()
        index = {int(t): i for i, t in enumerate(node_tags)}
        tri: list[int] = []
        body_of: list[int] = []
        for tag, body in surfaces:
            types, _, nodes = gmsh.model.mesh.getElements(2, tag)
            for etype, conn in zip(types, nodes):
                if etype != 2:  # 3-node triangles only
                    raise InputError(f"export: gmsh made elements of type {etype}")
                tri.extend(index[int(n)] for n in conn)
                body_of.extend([body] * (len(conn) // 3))
        if path is not None:
            _staged(path, ".msh", lambda tmp: gmsh.write(tmp))
    finally:
        gmsh.finalize()
    pts = np.asarray(coords, dtype=float).reshape(-1, 3)[:, :2]
    triangles = np.asarray(tri, dtype=np.int64).reshape(-1, 3)
    body_arr = np.asarray(body_of, dtype=np.int64)
    mat_index = {m: i for i, m in enumerate(names)}
    material = np.asarray([mat_index[section.regions[b].material] for b in body_of],
                          dtype=np.int64)
    groups = {f"{r.material}:{r.numeral or ''}#{k}": tuple(int(t) for t in
                                                            np.flatnonzero(body_arr == k))
              for k, r in enumerate(section.regions)}
    groups.update({m: tuple(int(t) for t in np.flatnonzero(material == i))
                   for m, i in mat_index.items()})
    return Mesh(pts, triangles, body_arr, material, names, groups)


def write_vtu(section: Section, path: str, *, size_max: float | None = None,
              size_min: float | None = None) -> str:
    """VTK unstructured grid (meshio): triangles with cell data ``body`` (the
    index in ``section.regions``) and ``material`` (the index in
    ``material_layers(section)``, from 0; VTU keeps no names, so the CLI
    prints them)."""
    meshio = _need("meshio", "export")
    import numpy as np

    m = mesh(section, size_max=size_max, size_min=size_min)
    points = np.column_stack([m.points, np.zeros(len(m.points))])
    out = meshio.Mesh(points, [("triangle", m.triangles)],
                      cell_data={"body": [m.body], "material": [m.material]})
    return _staged(path, ".vtu", lambda tmp: meshio.write(tmp, out, file_format="vtu"))


def export(section: Section, path: str, fmt: str, *, size_max: float | None = None,
           size_min: float | None = None) -> str:
    """Write ``section`` to ``path`` as ``fmt`` (gds, dxf, msh, vtu)."""
    if fmt not in FORMATS:
        raise InputError(f"export: {fmt!r} is not a valid 'format', must be one of "
                         f"{', '.join(FORMATS)}")
    if fmt == "gds":
        return write_gds(section, path)
    if fmt == "dxf":
        return write_dxf(section, path)
    if fmt == "vtu":
        return write_vtu(section, path, size_max=size_max, size_min=size_min)
    mesh(section, size_max=size_max, size_min=size_min, path=path)
    return path


def figure_section(flow: Flow, figure: str | None) -> tuple[str, Section]:
    """The section of ``figure`` (default: the flow's last figure)."""
    run = flow.run()
    if figure is not None:
        return figure, run.figure(figure, op="export").section
    if not run.figures:
        raise InputError("export: the flow marks no step as a figure")
    return str(run.figures[-1].figure), run.figures[-1].section


def _staged(path: str, suffix: str, write: Callable[[str], object]) -> str:
    """Write through a temporary file beside ``path``, moved in only when
    complete (nothing half-written)."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InputError(f"export: no folder {folder!r} to write {os.path.basename(path)!r} "
                         f"into")
    fd, tmp = tempfile.mkstemp(prefix=".xsection-", suffix=suffix, dir=folder)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
