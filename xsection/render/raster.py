"""matplotlib backend: PNG (pure black and white in patent style) and PDF."""

from __future__ import annotations

import io

import matplotlib

# a bare Figure renders through its own canvas: no backend switch, so a
# notebook's pyplot keeps working after xsection draws
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from PIL import Image

from . import style as st
from .page import FONT, Lines, Page, Shape, Text

PT_PER_MM = 72.0 / 25.4
HALIGN = {"start": "left", "middle": "center", "end": "right"}
CJK_FONTS = ("Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "TakaoGothic",
             "Source Han Sans JP", "WenQuanYi Zen Hei")


def _families(text: str) -> list[str]:
    """DejaVu Sans, plus an installed CJK font for the JPO 【図】 labels."""
    if all(ord(c) < 0x2E80 for c in text):  # below the CJK blocks: DejaVu has it
        return [FONT]
    from matplotlib import font_manager

    for name in CJK_FONTS:
        try:
            font_manager.findfont(name, fallback_to_default=False)
            return [FONT, name]
        except ValueError:
            continue
    from ..errors import InputError

    raise InputError(f"render: the label {text!r} needs a CJK font for PNG and PDF "
                     f"(one of {', '.join(CJK_FONTS)}; e.g. Debian's fonts-noto-cjk); "
                     f"SVG output needs none")


def figure(page: Page) -> Figure:
    """A matplotlib figure of the page, 1 data unit = 1 mm, y down."""
    fig = Figure(figsize=(page.width / 25.4, page.height / 25.4))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, page.width)
    ax.set_ylim(page.height, 0)
    ax.set_axis_off()
    for z, item in enumerate(page.items):
        if isinstance(item, Shape):
            verts, codes = [], []
            for ring in item.rings:
                verts.extend(ring.tolist())
                codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2)
                             + [MplPath.CLOSEPOLY])
            # (add_artist: the limits are set, so no patch needs measuring)
            ax.add_artist(PathPatch(MplPath(verts, codes), facecolor=item.fill or "none",
                                    edgecolor=item.stroke or "none",
                                    linewidth=item.width * PT_PER_MM, joinstyle="round",
                                    capstyle="round", zorder=z))
        elif isinstance(item, Lines):
            if len(item.segs):
                ax.add_collection(LineCollection(list(item.segs), colors=item.color,
                                                 linewidths=item.width * PT_PER_MM,
                                                 capstyle="butt", zorder=z), autolim=False)
        elif isinstance(item, Text):
            ax.text(item.x, item.y, st.literal(item.text), fontsize=item.size * PT_PER_MM,
                    family=_families(item.text), ha=HALIGN[item.anchor], va="baseline",
                    color=item.color, zorder=z)
    return fig


def png_bytes(page: Page, *, dpi: int = 400) -> bytes:
    """PNG of the page; patent style is thresholded to 1-bit black and white.
    The page is drawn into Agg's buffer and encoded once, by PIL."""
    fig = figure(page)
    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(dpi)
    fig.patch.set_facecolor("white")
    canvas.draw()  # type: ignore[no-untyped-call]
    width, height = canvas.get_width_height(physical=True)
    img = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(),  # type: ignore[no-untyped-call]
                          "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    if page.style == "patent":
        img = img.convert("L").point(lambda v: 255 if v >= 160 else 0).convert("1")
    else:
        img = img.convert("RGB")
    img.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def pdf_bytes(pages: list[Page]) -> bytes:
    """A PDF with one page per ``Page`` (fonts embedded as TrueType)."""
    buf = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), \
            PdfPages(buf, metadata={"Creator": "xsection", "CreationDate": None}) as pdf:
        for page in pages:
            pdf.savefig(figure(page))
    return buf.getvalue()
