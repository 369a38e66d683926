"""Hypothesis strategies: random stacks with openings (lengths in µm)."""

from __future__ import annotations

from hypothesis import strategies as st

import xsection as xs

POOL = ("copper", "nickel", "polyimide", "epoxy", "silicon", "Sn63Pb37")


@st.composite
def stacks(draw: st.DrawFn) -> xs.Section:
    """1–4 layers on a 60–300 µm domain, the top layer with 0–2 openings."""
    width = draw(st.floats(60.0, 300.0))
    n = draw(st.integers(1, 4))
    layers = [xs.Layer(draw(st.sampled_from(POOL)), draw(st.floats(2.0, 40.0)), f"{10 + 2 * i}")
              for i in range(n)]
    s = xs.stack(width=width, layers=layers)
    cuts = draw(st.lists(st.tuples(st.floats(0.05, 0.85), st.floats(0.05, 0.3)), max_size=2))
    if cuts and n > 1:
        intervals = [(width * a, min(width * (a + b), width)) for a, b in cuts]
        top = layers[-1]
        s = xs.pattern(s, target=top.material, remove=intervals,
                       numerals=None if top.numeral is None else [top.numeral])
    return s


def present(section: xs.Section) -> list[str]:
    """Materials present in a section, in a stable order."""
    return sorted({r.material for r in section.regions})


@st.composite
def flat_stacks(draw: st.DrawFn) -> xs.Section:
    """1–3 full-width layers (no solder) on a 60–300 µm domain."""
    width = draw(st.floats(60.0, 300.0))
    pool = [m for m in POOL if m != "Sn63Pb37"]
    layers = [xs.Layer(draw(st.sampled_from(pool)), draw(st.floats(2.0, 40.0)), f"{10 + 2 * i}")
              for i in range(draw(st.integers(1, 3)))]
    return xs.stack(width=width, layers=layers)
