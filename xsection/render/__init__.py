"""Figures of flows: patent-style and colour sheets and figures to SVG, PNG, PDF.

``render`` builds the pages (a backend-neutral scene), ``write`` writes them
atomically, ``check_page`` tells which drawing rules a page breaks.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..errors import InputError, XsectionError
from ..flow import Flow, Snapshot
from .checks import check_page
from .raster import pdf_bytes, png_bytes
from .extra import phase_page, plan_page
from .scene import Page, figure_pages, number_sheet, on_sheet, plan, settings, sheets
from .svg import to_svg

FORMATS = ("svg", "png", "pdf")


@dataclass
class Rendering:
    """The sheets and the single figures of one flow."""

    sheets: list[Page]
    figures: list[Page]


def render(source: Flow | Sequence[Snapshot], *, style: str = "patent", profile: str = "a4",
           panels_per_sheet: int = 3, exaggeration: float = 1.0, scale: float | None = None,
           palette: str = "default", dimensions: bool = False) -> Rendering:
    """Lay out every figure of ``source`` (a flow, or its figure snapshots);
    ``dimensions`` draws measured heights, widths and depths."""
    cfg = settings(style=style, profile=profile, panels_per_sheet=panels_per_sheet,
                   exaggeration=exaggeration, scale=scale, palette=palette,
                   dimensions=dimensions)
    snaps = source.figures() if isinstance(source, Flow) else [s for s in source if s.figure]
    lay = plan(snaps, cfg)
    result = Rendering(sheets(snaps, cfg, lay), figure_pages(snaps, cfg, lay))
    if isinstance(source, Flow) and source.extras:
        by_fig = {s.figure: s.section for s in snaps}
        for spec in source.extras:
            fig = str(spec["figure"])
            if spec["kind"] == "plan":
                page = plan_page(fig, by_fig[str(spec["of"])], spec, cfg, lay)
            else:
                page = phase_page(fig, spec, cfg, source.materials)
            result.figures.append(page)
            result.sheets.append(on_sheet(page, cfg))
        total = len(result.sheets)
        for n, sheet in enumerate(result.sheets, start=1):
            number_sheet(sheet, n, total)
    return result


def formats_arg(formats: str | Iterable[str]) -> tuple[str, ...]:
    """Validate a list (or comma-separated string) of output formats."""
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    out = tuple(f.strip().lower() for f in items if f.strip())
    for f in out:
        if f not in FORMATS:
            raise InputError(f"render: {f!r} is not a valid 'format', must be among "
                             f"{', '.join(FORMATS)}")
    if not out:
        raise InputError("render: 'format' must name at least one of svg, png, pdf")
    return out


def write(rendering: Rendering, folder: str, formats: str | Iterable[str] = FORMATS, *,
          dpi: int = 400, outline_text: bool = False,
          progress: Callable[[int, int, str], None] | None = None) -> list[str]:
    """Write one file per figure and the sheets; returns the paths written.

    Every file is written to a temporary name and renamed, so none is ever
    left half-written. ``progress(done, total, name)`` is called per file.
    """
    fmts = formats_arg(formats)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as err:
        raise OutputError(f"render: cannot create the output folder {folder!r}: "
                          f"{err.strerror}") from None
    jobs: list[tuple[str, Callable[[], bytes]]] = []
    for fmt in fmts:
        for page in [*rendering.figures, *rendering.sheets]:
            if fmt == "pdf" and page.is_sheet:
                continue
            jobs.append((f"{page.name}.{fmt}",
                         lambda p=page, f=fmt: _encode(p, f, dpi, outline_text)))
        if fmt == "pdf" and rendering.sheets:
            jobs.append(("sheets.pdf", lambda: pdf_bytes(rendering.sheets)))
    written = []
    for done, (name, encode) in enumerate(jobs):
        if progress is not None:
            progress(done, len(jobs), name)
        written.append(write_atomic(os.path.join(folder, name), encode()))
    if progress is not None:
        progress(len(jobs), len(jobs), "")
    return written


class OutputError(XsectionError, OSError):
    """An output file or folder that cannot be written."""


def _encode(page: Page, fmt: str, dpi: int, outline_text: bool) -> bytes:
    if fmt == "svg":
        return to_svg(page, outline_text=outline_text).encode()
    if fmt == "png":
        return png_bytes(page, dpi=dpi)
    return pdf_bytes([page])


def write_atomic(path: str, data: bytes) -> str:
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".xsection-", dir=folder)
    except OSError as err:
        raise OutputError(f"render: cannot write into {folder!r}: {err.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as err:
        raise OutputError(f"render: cannot write {path!r}: {err.strerror}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


__all__ = ["FORMATS", "OutputError", "Rendering", "check_page", "formats_arg", "render",
           "to_svg", "write", "write_atomic"]
