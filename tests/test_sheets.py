"""Sheet layout: figures packed by their real heights with figure groups kept
together, drawings as wide as the sight allows, sheets filled; figure pages
trimmed to their content."""

from __future__ import annotations

import pytest

from xsection import recipe
from xsection.render import render
from xsection.render.layout import BLOCK_GAP, FILL_TARGET, fills, group_of, pack
from xsection.render.page import ink_boxes
from xsection.render.style import PROFILES


def test_pack_fills_a_sheet_while_figures_fit() -> None:
    room = 3 * 50.0 + 2 * BLOCK_GAP  # exactly three 50 mm figures
    assert pack([50.0] * 7, ["1"] * 7, room) == [[0, 1, 2], [3, 4, 5], [6]]
    assert pack([50.0] * 7, ["1"] * 7, room - 0.01) == [[0, 1], [2, 3], [4, 5], [6]]
    assert pack([50.0] * 7, ["1"] * 7, room, most=2) == [[0, 1], [2, 3], [4, 5], [6]]


def test_pack_balances_sheets_a_group_continues_from() -> None:
    room = 230.0
    heights = [60.0, 60.0, 60.0, 100.0, 130.0]
    # filling each sheet while figures fit gives [0 1 2] [3] [4]: sheet 2 at
    # 100 / 230 = 43 %; three sheets either way, and [0 1] [2 3] [4] keeps
    # the emptiest at (60 + 60 + 6) / 230 = 55 %
    sheets = pack(heights, ["1"] * 5, room)
    assert sheets == [[0, 1], [2, 3], [4]]
    assert min(fills(heights, sheets, room)[:-1]) == (60 + 60 + BLOCK_GAP) / room


def test_pack_keeps_figure_groups_together() -> None:
    room = 200.0
    # group 1 ends with one figure on sheet 2; group 2 fits beside it whole
    assert pack([60, 60, 60, 60, 40, 40], ["1"] * 4 + ["2"] * 2, room) == [[0, 1, 2], [3, 4, 5]]
    # group 2 does not fit whole where group 1 ends: it starts a sheet of its own
    assert pack([60, 60, 60, 60, 60, 60, 60], ["1"] * 4 + ["2"] * 3, room) == [
        [0, 1, 2], [3], [4, 5, 6]]
    assert [group_of(f) for f in ("1A", "1M", "2", "2B", "12C", "X")] == [
        "1", "1", "2", "2", "12", "X"]


def sheet_fill(page, room: float, top: float) -> float:
    """The share of the room between the sheet number band and the sight's
    bottom that the sheet's figures span (ink)."""
    boxes = [b for b in ink_boxes(page) if b[1] > top - 1e-6]
    return (max(b[3] for b in boxes) - min(b[1] for b in boxes)) / room


@pytest.mark.parametrize("name", ["seed000", "seed001", "seed002", "seed003", "cu_pillar"])
def test_sheets_are_filled_and_drawings_use_the_width(name: str) -> None:
    flow = recipe.load(name)
    rendering = render(flow, exaggeration=flow.exaggeration)
    prof = PROFILES["a4"]
    _, sy, sw, sh = prof.sight
    top = sy + prof.sheet_digit + 6.0
    room = sy + sh - top
    figures = {s.figure for s in flow.figures()} | {str(x["figure"]) for x in flow.extras}
    seen = [t.text for sheet in rendering.sheets for t in sheet.items
            if getattr(t, "role", "") == "caption"]
    assert sorted(seen) == sorted(f"FIG. {f}" for f in figures)  # each figure once
    groups_per_sheet = [list(dict.fromkeys(group_of(t.text[5:]) for t in sheet.items
                                           if getattr(t, "role", "") == "caption"))
                        for sheet in rendering.sheets]
    for k, groups in enumerate(groups_per_sheet):
        for g in groups[1:]:  # a group that joins a sheet another group ends on is whole there
            others = [j for j, gs in enumerate(groups_per_sheet) if g in gs and j != k]
            assert not others, f"group {g} is split across sheets {k} and {others}"
    for sheet in rendering.sheets[:-1]:
        captions = [t.text[5:] for t in sheet.items if getattr(t, "role", "") == "caption"]
        nxt = rendering.sheets[rendering.sheets.index(sheet) + 1]
        nxt_caps = [t.text[5:] for t in nxt.items if getattr(t, "role", "") == "caption"]
        last_of_group = group_of(captions[-1]) != group_of(nxt_caps[0])
        if not last_of_group:
            assert sheet_fill(sheet, room, top) >= FILL_TARGET - 0.02, sheet.name
    widest = max(d.area.bounds[2] for sheet in rendering.sheets for d in sheet.drawn) - \
        min(d.area.bounds[0] for sheet in rendering.sheets for d in sheet.drawn)
    assert widest >= 0.7 * (sw - 2 * 16.0) - 1e-6


def test_figure_pages_are_trimmed_to_their_content() -> None:
    rendering = render(recipe.load("cu_pillar"))
    for page in rendering.figures:
        boxes = ink_boxes(page)
        assert min(b[1] for b in boxes) <= 5.0 + 1e-6 + 4.0  # the margin, then ink
        assert page.height - max(b[3] for b in boxes) <= 5.0 + 1e-6
        caption = next(t for t in page.items if getattr(t, "role", "") == "caption").box()
        ink_above = max(b[3] for b in boxes if b[3] <= caption[1] + 1e-6)
        assert caption[1] - ink_above <= 8.0  # no blank band above the caption


def test_the_sheet_check_reads_jpo_captions_too() -> None:
    from xsection.render import check_sheets
    from xsection.render.layout import caption_figure

    assert [caption_figure(t) for t in ("FIG. 1A", "【図2B】", "FIG. 12")] == ["1A", "2B", "12"]
    rendering = render(recipe.load("seed001"), profile="jpo")
    assert check_sheets(rendering.sheets) == []
    first = rendering.sheets[0]  # half of sheet 1 gone: its group continues on sheet 2
    kept = [i for i in first.items if getattr(i, "role", "") in ("sheet", "caption")][:2]
    assert any("its figures use" in p for p in check_sheets([_copy(first, kept),
                                                              *rendering.sheets[1:]]))


def _copy(page, items):
    import dataclasses

    return dataclasses.replace(page, items=items)
