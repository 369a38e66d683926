"""Figures onto sheets (mm): which figures share a sheet, and how full each
sheet is; the figure groups (1A … 1M) a sheet keeps together."""

from __future__ import annotations

import re
from collections.abc import Sequence

#: A sheet other than the last should use at least this share of the sight's
#: height; the scale shrinks (to FILL_MIN_SCALE of the widest fit at most)
#: where that packs the sheets fuller.
FILL_TARGET = 0.75
FILL_MIN_SCALE = 0.6
#: How far under FILL_TARGET a sheet may fall and still count as filled (the
#: check measures ink, the packing block heights).
FILL_SLACK = 0.01
#: The drawing check fails a sheet under this share (where the layout could
#: not reach FILL_TARGET at any scale it may use).
FILL_FLOOR = 0.70
#: A predicted packing leaves this much (mm) free on each sheet before it is
#: drawn (numerals of a figure drawn at another scale may stand elsewhere).
FILL_SPARE = 5.0
#: Scales the sheet fill is tried at by drawing the figures again.
FULLER_TRIES = 6
#: Space between stacked figures on a sheet (mm).
BLOCK_GAP = 6.0

def caption_figure(text: str) -> str:
    """The figure id a caption names ('FIG. 1A' or '【図1A】' -> '1A')."""
    m = re.fullmatch(r"FIG\. (.+)|【図(.+)】", text)
    return (m.group(1) or m.group(2)) if m else text


def group_of(figure: str) -> str:
    """The figure group a figure id belongs to: its leading number ("1" for
    1A … 1M, "2" for 2A and 2); an id without one is its own group."""
    m = re.match(r"\d+", figure)
    return m.group(0) if m else figure


def pack(heights: Sequence[float], groups: Sequence[str], room: float,
         most: int | None = None) -> list[list[int]]:
    """Figures (by index) onto sheets, in order: a sheet holds what fits
    ``room`` (mm, with BLOCK_GAP between figures, at most ``most``), and a
    figure group shares a sheet with the group before it only if it is whole
    there. Of such packings, the one with the fewest sheets, then the one
    whose emptiest sheet that its figure group continues from is fullest::

        heights 70 70 70 70 | 90     room 230 (group 1 | group 2)
        -> [0 1 2] [3 4]             group 2 fits whole after 3
    """
    n = len(heights)
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for j, grp in enumerate(groups):
        first.setdefault(grp, j)
        last[grp] = j
    # best[a]: (sheets, -emptiest fill, breaks) for figures a…
    best: list[tuple[int, float, list[int]]] = [(0, -1.0, [])] * (n + 1)
    for a in range(n - 1, -1, -1):
        options = []
        used = -BLOCK_GAP
        for b in range(a + 1, n + 1):
            used += heights[b - 1] + BLOCK_GAP
            if b - a > 1 and (used > room or (most is not None and b - a > most)):
                break
            if any(first[grp] < a or last[grp] >= b for grp in set(groups[a:b]) - {groups[a]}):
                continue  # a group after the first on a sheet must be whole there
            sheets, fill, breaks = best[b]
            if b < n and groups[b - 1] == groups[b]:  # the group goes on: fill counts
                fill = max(fill, -used / room)
            options.append((sheets + 1, fill, [b, *breaks]))
        best[a] = min(options, key=lambda o: o[:2])
    out, a = [], 0
    for b in best[0][2]:
        out.append(list(range(a, b)))
        a = b
    return out or [[]]


def fills(heights: Sequence[float], sheets: Sequence[Sequence[int]], room: float) -> list[float]:
    """The share of ``room`` each sheet's figures use."""
    return [(sum(heights[j] for j in sheet) + BLOCK_GAP * (len(sheet) - 1)) / room
            for sheet in sheets]


__all__ = ["BLOCK_GAP", "FILL_FLOOR", "FILL_MIN_SCALE", "FILL_SLACK", "FILL_SPARE",
           "FILL_TARGET", "FULLER_TRIES", "fills", "group_of", "pack"]
