"""The backend-neutral page (mm, y down): shapes, lines, texts and leads, the
render settings and the layout shared by a sequence of panels."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath
from shapely.geometry.base import BaseGeometry

from ..errors import InputError, exaggeration_arg, require_length
from ..section import Section
from . import style as st

FONT = "DejaVu Sans"
WHITE, BLACK = "#ffffff", "#000000"



@dataclass
class Shape:
    """A filled and/or outlined polygon (rings closed, mm)."""

    rings: list[np.ndarray]
    fill: str | None
    stroke: str | None
    width: float


@dataclass
class Lines:
    """Straight segments (n, 2, 2) drawn alike."""

    segs: np.ndarray
    width: float
    color: str
    role: str  # hatch | lead | underline | scale | swatch


@dataclass
class Text:
    """Text at a baseline point; ``size`` is the font size (em) in mm."""

    x: float
    y: float
    text: str
    size: float
    anchor: str  # start | middle | end
    role: str  # numeral | caption | sheet | legend | scale
    color: str = BLACK

    def box(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the inked glyphs, y down."""
        x0, y0, x1, y1 = text_extents(self.text)
        w = (x1 - x0) * self.size
        left = {"start": self.x, "middle": self.x - w / 2, "end": self.x - w}[self.anchor]
        return (left, self.y - y1 * self.size, left + w, self.y - y0 * self.size)


@dataclass
class Lead:
    """A lead line from a numeral to the part it names (for the checks)."""

    numeral: str
    start: tuple[float, float]
    end: tuple[float, float]
    target: BaseGeometry
    label: Text
    panel: int = 0  # the figure it belongs to (Panel.index)
    key: str = ""  # where its numeral stands: L, R, T, B, F<angle> (leads.candidates)
    # where the numeral stood in the figure before and where its lead would end
    # now if it ended where it did there (mm), which its placement kept to
    before: tuple[str, tuple[float, float]] | None = None


@dataclass
class Panel:
    """Where one figure's drawing lies and what its numerals name (mm), for
    placing leads and checking them."""

    index: int
    frame: tuple[float, float, float, float]  # the drawing's x0, y0, x1, y1
    gutter: float  # the numeral gutters' width either side
    parts: dict[str, BaseGeometry]  # numeral -> what it names
    wholes: frozenset[str] = frozenset()  # numerals of whole assemblies
    breaks: tuple[tuple[str, str], ...] = ()  # (numeral, side) drawn in part
    cut_out: bool = False  # a detail view: its ends cut whatever they meet
    # parts shrunk for the crossing test, once for all its numerals (crossings.pool_of)
    shrunk: dict[int, tuple[BaseGeometry, BaseGeometry]] = field(default_factory=dict,
                                                                  repr=False, compare=False)


@dataclass
class Drawn:
    """One region as drawn (mm) with its hatch, for the checks."""

    material: str
    numeral: str | None
    area: BaseGeometry
    hatch: st.Hatch | None
    panel: int
    fill: str | None = None
    thickened: bool = False  # drawn thicker than it is (a film under MIN_LAYER)


@dataclass
class Page:
    """One sheet or one figure."""

    name: str
    width: float
    height: float
    style: str
    profile: st.Profile
    items: list[Shape | Lines | Text] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    drawn: list[Drawn] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    is_sheet: bool = False
    exaggeration: float = 1.0


@lru_cache(maxsize=4096)
def text_extents(text: str) -> tuple[float, float, float, float]:
    """Ink extents of ``text`` at font size 1 (y up)."""
    if not text.strip():
        return (0.0, 0.0, 0.0, 0.0)
    e = TextPath((0, 0), st.literal(text), size=1.0,
                 prop=FontProperties(family=FONT)).get_extents()
    return (0.0, e.y0, e.x1, e.y1)


# ------------------------------------------------------------------ settings
@dataclass(frozen=True)
class Settings:
    """What the caller chose; every length in mm."""

    style: str = "patent"
    profile: st.Profile = st.PROFILES["a4"]
    panels_per_sheet: int | None = None  # most figures a sheet holds; None: as many as fit
    exaggeration: float = 1.0
    scale: float | None = None  # mm per µm; None: fit
    palette: str = "default"  # default | cb (Okabe–Ito)
    gutter: float = 16.0
    dimensions: bool = False  # draw bump heights and widths, void widths and depths


def settings(*, style: str = "patent", profile: str = "a4", panels_per_sheet: int | None = None,
             exaggeration: float = 1.0, scale: float | None = None,
             palette: str = "default", dimensions: bool = False) -> Settings:
    """Validated settings (clear errors naming the option); ``colour`` is
    ``color``."""
    style = "color" if style == "colour" else style
    st.check_style(style)
    prof = st.profile(profile)
    if panels_per_sheet is not None and (isinstance(panels_per_sheet, bool) or not isinstance(
            panels_per_sheet, int) or panels_per_sheet < 1):
        raise InputError(f"render: 'panels_per_sheet' must be an integer >= 1 or none "
                         f"(got {panels_per_sheet!r})")
    ex = exaggeration_arg("render", exaggeration)
    sc = None if scale is None else require_length("render", "scale", scale, allow_zero=False)
    if palette not in ("default", "cb"):
        raise InputError(f"render: {palette!r} is not a valid 'palette', must be one of "
                         f"'default', 'cb'")
    return Settings(style, prof, panels_per_sheet, ex, sc, palette, dimensions=bool(dimensions))


# ------------------------------------------------------------------- layout
@dataclass
class Layout:
    """Scale and positions shared by every panel of a sequence."""

    scale: float  # mm per µm (horizontal)
    x_ref: float  # µm at the left edge of every drawing
    width: float  # mm: the widest drawing of the sequence
    slot_height: float  # mm available to one panel's drawing
    hatches: dict[str, st.Hatch]
    # numeral -> where it stood in the last figure (leads.candidates' key) and
    # where its lead ended there (x, z µm)
    sides: dict[str, tuple[str, tuple[float, float]]]
    breaks: tuple[tuple[str, str], ...] = ()  # (numeral, side) drawn in part
    cut_out: bool = False  # a detail view: its ends cut whatever they meet
    # figure -> (x0, z0, x1, z1) µm windows shown enlarged, with their figure ids
    details: dict[str, list[tuple[tuple[float, float, float, float], str]]] = field(
        default_factory=dict)


def ink_boxes(page: Page) -> list[tuple[float, float, float, float]]:
    """The (x0, y0, x1, y1) box (mm, y down) of every inked item on ``page``
    (white fills under an outline are not ink)."""
    out = []
    for item in page.items:
        if isinstance(item, Shape):
            if item.fill == "#ffffff" and not item.stroke:
                continue
            pts = np.concatenate(item.rings)
            pad = item.width / 2
            out.append((pts[:, 0].min() - pad, pts[:, 1].min() - pad, pts[:, 0].max() + pad,
                        pts[:, 1].max() + pad))
        elif isinstance(item, Lines) and len(item.segs):
            pts = item.segs.reshape(-1, 2)
            out.append((pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()))
        elif isinstance(item, Text):
            out.append(item.box())
    return out


def colour(section: Section, material: str, palette: str) -> str:
    """The fill of ``material`` in ``section``: its own palette colour, or its
    class's; a material whose colour is near one an earlier material of the
    section already has gets the next shade of it (lighter, darker, lighter
    ...), so no two materials of a figure look alike. Worked out once per
    section and palette."""
    cache: dict[str, dict[str, str]] = section.__dict__.setdefault("_fills", {})
    if palette not in cache:
        used: dict[str, str] = {}
        for name in dict.fromkeys(r.material for r in section.regions):
            base = _base_colour(section, name, palette)
            fill, k = base, 0
            while any(near_colours(fill, u) for u in used.values()) and k < 64:
                k += 1
                fill = _shade(base, k)
            used[name] = fill
        cache[palette] = used
    fills = cache[palette]
    return fills[material] if material in fills else _base_colour(section, material, palette)


def _base_colour(section: Section, material: str, palette: str) -> str:
    cls = section.materials[material].cls
    if palette == "cb":
        return {"solder_resist": "#009E73"}.get(material, st.OKABE_ITO[cls])
    return st.PALETTE.get(material) or st.CLASS_PALETTE[cls]


#: Fills closer than this (RGB distance, 0-441) read as one colour.
NEAR_RGB = 24.0


def near_colours(a: str, b: str) -> bool:
    """True if the fills ``a`` and ``b`` ("#rrggbb") read as one colour."""
    pa = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    pb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return sum((x - y) ** 2 for x, y in zip(pa, pb)) < NEAR_RGB ** 2


def _shade(hex_colour: str, k: int) -> str:
    """The k-th shade of a colour: 0 itself, then lighter and darker in turn."""
    if k == 0:
        return hex_colour
    rgb = [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]
    step = 1.0 - 0.7 ** ((k + 1) // 2)  # 0.3, 0.51, 0.66, ... of the way to white or black
    target = 255 if k % 2 else 0
    mixed = [round(c + (target - c) * step) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)
