"""Drawing rules: sheet profiles, line widths, text sizes, hatching per
material class, colour palettes (../shared/figure-style.md, Part B).

All lengths are millimetres on the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import InputError

#: Digit height of DejaVu Sans as a fraction of the font size (em).
DIGIT_EM = 0.729


@dataclass(frozen=True)
class Profile:
    """A sheet and its drawing rules.

    sight: (x, y, width, height) of the drawable area from the top-left.
    """

    name: str
    sheet: tuple[float, float]
    sight: tuple[float, float, float, float]
    numeral_digit: float = 3.5
    caption_digit: float = 5.0
    sheet_digit: float = 4.0
    caption_above: bool = False
    side_by_side: bool = True


PROFILES: dict[str, Profile] = {
    "a4": Profile("a4", (210.0, 297.0), (25.0, 25.0, 170.0, 262.0)),
    "letter": Profile("letter", (215.9, 279.4), (25.0, 25.0, 175.9, 244.4)),
    "jpo": Profile("jpo", (210.0, 297.0), (25.0, 25.0, 170.0, 255.0), numeral_digit=5.0,
                   caption_digit=6.0, sheet_digit=5.5, caption_above=True, side_by_side=False),
}
STYLES = ("patent", "color")

OUTLINE = 0.40  # section outlines
THIN = 0.20  # hatch and lead lines
UNDERLINE = 0.25
MIN_LAYER = 1.2  # thinnest drawn layer
LEAD_GAP = 0.8  # lead line start from the numeral's box
LEAD_END_SPACING = 1.5  # mm: lead ends nearer than this read as one
COLOR_OUTLINE = 0.25
COLOR_EDGE = "#222222"


def profile(name: str) -> Profile:
    """The named profile, or a clear error listing them."""
    if name not in PROFILES:
        raise InputError(f"render: {name!r} is not a valid 'profile', must be one of "
                         f"{', '.join(repr(p) for p in PROFILES)}")
    return PROFILES[name]


def check_style(name: str) -> str:
    if name not in STYLES:
        raise InputError(f"render: {name!r} is not a valid 'style', must be one of "
                         f"{', '.join(repr(s) for s in STYLES)}")
    return name


def font_size(digit_height: float) -> float:
    """Font size (mm, em) whose digits are ``digit_height`` mm tall."""
    return digit_height / DIGIT_EM


@dataclass(frozen=True)
class Hatch:
    """One hatch pattern: line families at ``angles`` (degrees, visual,
    counter-clockwise from +x), perpendicular ``pitch`` (mm), and a dash
    pattern (on, off, on, off … mm; empty = solid). ``band`` offsets repeat
    lines within each pitch (substrate-core banding)."""

    pattern: str
    angles: tuple[float, ...]
    pitch: float
    dashes: tuple[float, ...] = ()
    band: tuple[float, ...] = (0.0,)

    def variant(self, k: int) -> Hatch:
        """The k-th variant for another material of the same class:
        k = 1 sparser ×1.6, 2 mirrored, 3 mirrored and sparser, …"""
        pitch = self.pitch * (1.6 if k % 2 else 1.0) * (1.6 ** (k // 4))
        angles = tuple((180.0 - a) % 180.0 for a in self.angles) if (k // 2) % 2 else self.angles
        return replace(self, pitch=pitch, angles=angles,
                       band=tuple(b * pitch / self.pitch for b in self.band))

    def distinct_from(self, other: Hatch) -> bool:
        """Rule R19: adjacent hatches differ in pattern, angle or pitch (≥ 1.5×)."""
        if self.pattern != other.pattern or set(self.angles) != set(other.angles):
            return True
        ratio = max(self.pitch, other.pitch) / min(self.pitch, other.pitch)
        return ratio >= 1.5


HATCHES: dict[str, Hatch] = {
    "conductor": Hatch("solid", (45.0,), 1.5),
    "finish_metal": Hatch("solid", (135.0,), 1.05),
    "solder": Hatch("cross", (45.0, 135.0), 1.5),
    "semiconductor": Hatch("solid", (135.0,), 3.0),
    "dielectric_polymer": Hatch("dashed", (135.0,), 2.0, (3.0, 1.0)),
    "dielectric_inorganic": Hatch("dashdot", (60.0,), 1.5, (3.0, 0.8, 0.3, 0.8)),
    "encapsulant": Hatch("solid", (120.0,), 3.0),
    "core": Hatch("band", (45.0,), 5.0, (), (0.0, 1.0, 2.0)),
    "temporary": Hatch("dotted", (120.0,), 2.0, (0.3, 0.9)),
}

#: Report colours (figure-style.md B7, material-evocative).
PALETTE = {
    "silicon": "#9AA7B4", "copper": "#C87533", "aluminium": "#B0B7BF", "nickel": "#7D8896",
    "cobalt": "#6A7F99", "gold": "#D4A017", "titanium": "#4F5B66", "polyimide": "#F3D28C",
    "epoxy": "#A3B18A", "solder_resist": "#2E7D32", "adhesive": "#DCCFB4", "bt": "#BDAE78",
    "fr4": "#BDAE78", "lcp": "#E8C27A", "bcb": "#E5D3A1", "ptfe": "#EDEDED",
    "photoresist": "#B57BB0", "silicon_dioxide": "#8DB9D8",
    # solders: tin-rich bright, lead-rich dark, so two solders never look alike
    "SAC305": "#DDE2E7", "SnAg": "#C9D6BE", "Sn63Pb37": "#C0B9A8", "Pb55Sn45": "#8391A0",
    "Pb83Sn17": "#5F6B78", "Pb90Sn10": "#47515C",
    "tantalum": "#8E7FA0", "silicon_nitride": "#A8D5C6", "underfill": "#B8B09A",
    "mold_compound": "#5C5C5C",
}
CLASS_PALETTE = {
    "conductor": "#C87533", "finish_metal": "#7D8896", "solder": "#C3C9D0",
    "semiconductor": "#9AA7B4", "dielectric_polymer": "#F3D28C",
    "dielectric_inorganic": "#8DB9D8", "encapsulant": "#8C8C8C", "core": "#BDAE78",
    "temporary": "#B57BB0",
}
#: Colour-blind-safe alternative (Okabe–Ito), by class.
OKABE_ITO = {
    "conductor": "#E69F00", "finish_metal": "#F0E442", "solder": "#56B4E9",
    "semiconductor": "#0072B2", "dielectric_polymer": "#CC79A7", "dielectric_inorganic": "#D55E00",
    "encapsulant": "#999999", "core": "#009E73", "temporary": "#DDDDDD",
}


def literal(text: str) -> str:
    """``text`` for matplotlib drawn as written: a ``$`` would start maths."""
    return text.replace("$", r"\$")


#: Drawing tolerances (mm): what counts as on a line or inside the sight,
#: and how far past the minimum a thin film is thickened.
DRAW_EPS = 1e-6
THICKEN_MARGIN = 1e-3
