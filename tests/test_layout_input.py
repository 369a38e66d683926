"""Masks from a layout: GDSII and OASIS files the tests make themselves
(several cells, references, rotated placements, a rotated cut, a cut that
misses a layer), cut along a line; the intervals are checked against the
slab formula for a line through a rectangle, computed here."""

from __future__ import annotations

import math
import os
import textwrap

import gdstk
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xsection as xs
from xsection.cutline import Cut, cut_layout
from xsection.errors import InputError
from xsection.recipe import RecipeError, load
from xsection.testing import assert_sections_equal

EXAMPLES = int(os.environ.get("XSECTION_EXAMPLES", "25"))
NM = 1e-3  # the files' database unit, µm


def slab(cut: Cut, rect: tuple[float, float, float, float]) -> tuple[float, float] | None:
    """Where the line from cut.start to cut.end lies inside the rectangle
    (x0, y0, x1, y1), as distances along the cut (the slab method)."""
    (px, py), (qx, qy) = cut.start, cut.end
    length = math.dist(cut.start, cut.end)
    ux, uy = (qx - px) / length, (qy - py) / length
    lo, hi = 0.0, length
    for p, u, a, b in ((px, ux, rect[0], rect[2]), (py, uy, rect[1], rect[3])):
        if abs(u) < 1e-15:
            if not a < p < b:
                return None
            continue
        t0, t1 = sorted(((a - p) / u, (b - p) / u))
        lo, hi = max(lo, t0), min(hi, t1)
    return (lo, hi) if hi > lo else None


def flat(intervals: list) -> list[float]:
    return [v for pair in intervals for v in pair]


def write_chip(path: str) -> None:
    """TOP: a pad strip (1/0) 0..300 × −20..20; VIA (2/0, 10 × 10) placed at
    x = 40 and, rotated 90°, at 150.5; an ARRAY cell of three bumps (3/0,
    6 wide) at pitch 25.25 from x = 200; a layer 4/0 far off the cut."""
    lib = gdstk.Library(unit=1e-6, precision=1e-9)
    via = lib.new_cell("VIA")
    via.add(gdstk.rectangle((-5, -5), (5, 5), layer=2))
    bump = lib.new_cell("BUMP")
    bump.add(gdstk.rectangle((-3, -4), (3, 4), layer=3))
    top = lib.new_cell("TOP")
    top.add(gdstk.rectangle((0, -20), (300, 20), layer=1))
    top.add(gdstk.Reference(via, (40, 0)))
    top.add(gdstk.Reference(via, (150.5, 0), rotation=math.pi / 2))
    top.add(gdstk.Reference(bump, (200, 0), columns=3, rows=1, spacing=(25.25, 0)))
    top.add(gdstk.rectangle((0, 500), (10, 510), layer=4))
    other = lib.new_cell("OTHER")
    other.add(gdstk.rectangle((0, -1), (7.5, 1), layer=1))
    if path.endswith(".oas"):
        lib.write_oas(path)
    else:
        lib.write_gds(path)


@pytest.fixture(params=["chip.gds", "chip.oas"])
def chip(request: pytest.FixtureRequest, tmp_path) -> str:
    path = str(tmp_path / request.param)
    write_chip(path)
    return path


LAYERS = {"pad": "1/0", "via": "2/0", "bump": "3/0", "far": "4/0"}


def test_horizontal_cut_through_cells_references_and_arrays(chip: str) -> None:
    masks = cut_layout(chip, cut=[[-10, 0], [310, 0]], layers=LAYERS, cell="TOP")
    assert masks["pad"] == [(10.0, 310.0)]
    start = -10.0  # x along the cut is layout x − start
    vias = [(40 - 5 - start, 40 + 5 - start), (150.5 - 5 - start, 150.5 + 5 - start)]
    assert flat(masks["via"]) == pytest.approx(flat(vias), abs=1e-9)
    bumps = [(200 + 25.25 * k - 3 - start, 200 + 25.25 * k + 3 - start) for k in range(3)]
    assert flat(masks["bump"]) == pytest.approx(flat(bumps), abs=1e-9)
    assert masks["far"] == []  # the cut misses this layer


def test_a_rotated_cut_gives_the_slab_intervals(chip: str) -> None:
    cut = Cut((-70.5, -3.0), (261.0, 6.0))  # through (40, 0) and (150.5, 3)
    masks = cut_layout(chip, cut=cut, layers=LAYERS, cell="TOP")
    assert flat(masks["pad"]) == pytest.approx(flat([slab(cut, (0, -20, 300, 20))]), abs=1e-9)
    vias = [slab(cut, (35, -5, 45, 5)), slab(cut, (145.5, -5, 155.5, 5))]
    assert all(vias)  # the cut crosses both
    assert flat(masks["via"]) == pytest.approx(flat(vias), abs=1e-9)
    bumps = [slab(cut, (197 + 25.25 * k, -4, 203 + 25.25 * k, 4)) for k in range(3)]
    assert flat(masks["bump"]) == pytest.approx(flat([b for b in bumps if b]), abs=1e-9)
    assert masks["far"] == []


def test_cells_by_name_and_the_only_top_cell(tmp_path) -> None:
    path = str(tmp_path / "two.gds")
    write_chip(path)
    assert cut_layout(path, cut=[[0, 0], [10, 0]], layers={"pad": "1/0"},
                      cell="OTHER") == {"pad": [(0.0, 7.5)]}
    with pytest.raises(InputError, match=r"'cell' must name one of the top cells \(OTHER, TOP\)"):
        cut_layout(path, cut=[[0, 0], [10, 0]], layers={"pad": "1/0"})
    with pytest.raises(InputError, match=r"no cell 'MAIN'; cells: BUMP, OTHER, TOP, VIA"):
        cut_layout(path, cut=[[0, 0], [10, 0]], layers={"pad": "1/0"}, cell="MAIN")


def test_a_layer_with_no_shapes_and_bad_files_are_named(tmp_path, chip: str) -> None:
    with pytest.raises(InputError, match=r"layer 'ubm' \(9/0\) has no shapes in cell 'TOP'; "
                                         r"layers present: 1/0, 2/0, 3/0, 4/0"):
        cut_layout(chip, cut=[[0, 0], [10, 0]], layers={"ubm": "9/0"}, cell="TOP")
    with pytest.raises(InputError, match="'number/datatype'"):
        cut_layout(chip, cut=[[0, 0], [10, 0]], layers={"pad": "one"}, cell="TOP")
    with pytest.raises(InputError, match="two different points"):
        cut_layout(chip, cut=[[5, 5], [5, 5]], layers={"pad": "1/0"}, cell="TOP")
    junk = tmp_path / "junk.gds"
    junk.write_bytes(b"this is not a layout")
    with pytest.raises(InputError, match=r"junk\.gds: not a readable GDSII layout"):
        cut_layout(str(junk), cut=[[0, 0], [10, 0]], layers={"pad": "1/0"})
    with pytest.raises(InputError, match="no such layout file"):
        cut_layout(str(tmp_path / "none.gds"), cut=[[0, 0], [10, 0]], layers={"pad": "1/0"})


coords = st.floats(-200.0, 200.0)


@settings(max_examples=EXAMPLES, deadline=None)
@given(x0=coords, y0=coords, w=st.floats(0.5, 150.0), h=st.floats(0.5, 150.0),
       angle=st.floats(0.0, 2 * math.pi), through=st.floats(0.0, 1.0), length=st.floats(50, 900))
def test_any_cut_through_any_rectangle(tmp_path_factory, x0, y0, w, h, angle, through,
                                       length) -> None:
    """Real-valued rectangle and cut line: the intervals are the slab ones
    (the rectangle as written to the nm grid)."""
    rect = tuple(round(v / NM) * NM for v in (x0, y0, x0 + w, y0 + h))
    # a line through a point inside the rectangle, at any angle
    cx, cy = rect[0] + through * (rect[2] - rect[0]), (rect[1] + rect[3]) / 2
    dx, dy = math.cos(angle) * length / 2, math.sin(angle) * length / 2
    cut = Cut((cx - dx, cy - dy), (cx + dx, cy + dy))
    path = str(tmp_path_factory.mktemp("rect") / "r.gds")
    lib = gdstk.Library(unit=1e-6, precision=1e-9)
    lib.new_cell("R").add(gdstk.rectangle(rect[:2], rect[2:], layer=5, datatype=2))
    lib.write_gds(path)
    got = cut_layout(path, cut=cut, layers={"m": "5/2"})["m"]
    expected = slab(cut, rect)
    assert expected is not None  # the line passes through an inside point
    assert len(got) == 1, got
    assert list(got[0]) == pytest.approx(list(expected), abs=1e-7 * max(1.0, length))


RECIPE = """
name = "vias from a layout"
[layout]
file = "{file}"
cell = "TOP"
cut = [[-10, 0], [310, 0]]
layers = {{ pad = "1/0", via = "2/0" }}

[[layers]]
material = "epoxy"
thickness = 30.0
numeral = "10"

[[layers]]
material = "copper"
thickness = 12.5
numeral = "12"

[[steps]]
op = "pattern"
target = "copper"
keep = {{ layer = "pad" }}
figure = "1A"

[[steps]]
op = "drill"
target = "epoxy"
at = {{ layer = "via" }}
top_width = 8.0
figure = "1B"

[[steps]]
op = "etch"
target = "copper"
depth = 2.0
mode = "anisotropic"
openings = {{ layer = "via", invert = true }}
figure = "1C"
"""


def test_a_recipe_takes_its_masks_from_layout_layers(chip: str, tmp_path) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text(textwrap.dedent(RECIPE.format(file=os.path.basename(chip))))
    assert os.path.dirname(chip) == str(tmp_path)  # the layout sits beside the recipe
    flow = load(str(recipe))
    assert flow.width == pytest.approx(320.0)  # the cut's length
    by_hand = xs.stack(width=320.0, layers=[xs.Layer("epoxy", 30.0, "10"),
                                             xs.Layer("copper", 12.5, "12")])
    by_hand = xs.pattern(by_hand, target="copper", keep=[(10.0, 310.0)])
    by_hand = xs.drill(by_hand, target="epoxy", at=[50.0, 160.5], top_width=8.0)
    by_hand = xs.etch(by_hand, target="copper", depth=2.0, mode="anisotropic",
                      openings=[(0.0, 45.0), (55.0, 155.5), (165.5, 320.0)])
    assert_sections_equal(flow.figures()[-1].section, by_hand)


def test_recipe_layout_errors_name_the_table_and_field(chip: str, tmp_path) -> None:
    text = textwrap.dedent(RECIPE.format(file=os.path.basename(chip)))
    cases = {
        'layers = { pad = "1/0", via = "2/0" }': ('layers = { pad = "1/0", via = "7/0" }',
                                                  r"\[layout\]: .*layer 'via' \(7/0\) has no "
                                                  r"shapes in cell 'TOP'"),
        'keep = { layer = "pad" }': ('keep = { layer = "ubm" }',
                                     r"step 1 \(pattern\): 'keep' names layer 'ubm', which "
                                     r"\[layout\] layers does not map; mapped: pad, via"),
        'cut = [[-10, 0], [310, 0]]': ('cut = [[-10, 0]]',
                                       r"\[layout\]: 'cut' must be \[\[x0, y0\], \[x1, y1\]\]"),
        f'file = "{os.path.basename(chip)}"': ('file = "missing.gds"',
                                               r"\[layout\]: .*missing.gds: no such layout "
                                               r"file"),
    }
    for old, (new, message) in cases.items():
        assert old in text
        bad = tmp_path / "bad.toml"
        bad.write_text(text.replace(old, new))
        with pytest.raises(RecipeError, match=message):
            load(str(bad))


def test_a_layer_mask_without_a_layout_table_is_refused(tmp_path) -> None:
    text = textwrap.dedent(RECIPE.format(file="x.gds"))
    start, end = text.index("[layout]"), text.index("[[layers]]")
    bad = tmp_path / "bad.toml"
    bad.write_text(text[:start] + "[domain]\nwidth = 320.0\n\n" + text[end:])
    with pytest.raises(RecipeError, match=r"'keep' takes a layer's mask, but the recipe has no "
                                          r"\[layout\] table"):
        load(str(bad))
