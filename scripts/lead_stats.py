"""Leads of every built-in flow's patent figures: how many, how long, how many
pass through another numbered part, how far numerals stand from their
parts, and what the drawing check says of the sheets.

    python scripts/lead_stats.py [FLOW ...] [--style patent|color]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from xsection import recipe
from xsection.render import check_page, check_sheets, render
from xsection.render import taken as tk
from xsection.render.crossings import crossings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("flows", nargs="*", default=list(recipe.BUILTIN))
    parser.add_argument("--style", default="patent")
    args = parser.parse_args()
    total: list[float] = []
    crossed = 0
    print(f"{'flow':16} {'sheets':>6} {'leads':>5} {'>30mm':>5} {'crossing':>8} "
          f"{'median mm':>9} {'problems':>8} {'s':>5}")
    for name in args.flows:
        t0 = time.perf_counter()
        flow = recipe.load(name)
        out = render(flow, style=args.style, exaggeration=flow.exaggeration)  # as the CLI
        dt = time.perf_counter() - t0
        lengths, through = [], 0
        for page in out.figures:
            by_index = {p.index: p for p in page.panels}
            for lead in page.leads:
                lengths.append(float(np.hypot(lead.end[0] - lead.start[0],
                                              lead.end[1] - lead.start[1])))
                panel = by_index.get(lead.panel)
                if panel is None:
                    continue
                seg = np.array([[*lead.start, *lead.end]])
                others = tk.obstacles(page, panel, lead.numeral)
                through += int(crossings(seg, panel.parts[lead.numeral], others)[0] > 0)
        problems = check_sheets(out.sheets)
        for page in [*out.sheets, *out.figures]:
            problems += check_page(page)
        total += lengths
        crossed += through
        print(f"{name:16} {len(out.sheets):6d} {len(lengths):5d} "
              f"{sum(v > 30 for v in lengths):5d} {through:8d} "
              f"{statistics.median(lengths) if lengths else 0:9.1f} {len(problems):8d} "
              f"{dt:5.1f}")
        for p in problems[:8]:
            print("    ", p)
    print(f"{'all':16} {'':6} {len(total):5d} {sum(v > 30 for v in total):5d} {crossed:8d} "
          f"{statistics.median(total):9.1f}")


if __name__ == "__main__":
    main()
