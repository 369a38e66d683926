"""Figures of flows: patent-style and colour sheets and figures to SVG, PNG, PDF.

``render`` builds the pages (a backend-neutral scene), ``write`` writes them
atomically, ``check_page`` tells which drawing rules a page breaks.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, XsectionError
from ..flow import Flow, Snapshot
from ..section import Section
from .drawing_rules import check_page, check_sheets
from .extra import detail_section, phase_page, plan_page
from .layout import (
    PAGE_MARGIN,
    blocks,
    figure_pages,
    fit_layout,
    fuller,
    number_sheet,
    on_sheet,
    sheets,
)
from .page import Layout, Page, Settings, settings
from .raster import pdf_bytes, png_bytes
from .svg import to_svg

FORMATS = ("svg", "png", "pdf")


@dataclass
class Rendering:
    """The sheets and the single figures of one flow."""

    sheets: list[Page]
    figures: list[Page]


def render(source: Flow | Sequence[Snapshot], *, style: str = "patent", profile: str = "a4",
           panels_per_sheet: int | None = None, exaggeration: float = 1.0,
           scale: float | None = None, palette: str = "default",
           dimensions: bool = False) -> Rendering:
    """Lay out every figure of ``source`` (a flow, or its figure snapshots):
    one scale for the sequence (the widest drawing across the sight; a little
    smaller where that fills the sheets), figures packed onto sheets by their
    real heights, figure groups kept together, at most ``panels_per_sheet``
    a sheet if given; ``dimensions`` draws measured heights, widths and
    depths."""
    cfg = settings(style=style, profile=profile, panels_per_sheet=panels_per_sheet,
                   exaggeration=exaggeration, scale=scale, palette=palette,
                   dimensions=dimensions)
    snaps = source.figures() if isinstance(source, Flow) else [s for s in source if s.figure]
    lay = fit_layout(snaps, cfg)
    extras = source.extras if isinstance(source, Flow) else ()
    if isinstance(source, Flow):
        lay.breaks = source.breaks
    for spec in extras:
        if spec["kind"] == "detail":
            lay.details.setdefault(str(spec["of"]), []).append((_window(spec),
                                                                str(spec["figure"])))
    drawn = blocks(snaps, cfg, lay)
    if cfg.scale is None:
        lay, drawn = fuller(snaps, cfg, lay, drawn)
    result = Rendering(sheets(snaps, cfg, lay, drawn), figure_pages(snaps, cfg, lay, drawn))
    if isinstance(source, Flow) and source.extras:
        by_fig = {s.figure: s.section for s in snaps}
        for spec in source.extras:
            fig = str(spec["figure"])
            if spec["kind"] == "plan":
                page = plan_page(fig, by_fig[str(spec["of"])], spec, cfg, lay)
            elif spec["kind"] == "detail":
                page = _detail_page(fig, by_fig[str(spec["of"])], _window(spec), cfg, lay)
            else:
                page = phase_page(fig, spec, cfg, source.materials)
            result.figures.append(page)
            result.sheets.append(on_sheet(page, cfg))
        total = len(result.sheets)
        for n, sheet in enumerate(result.sheets, start=1):
            number_sheet(sheet, n, total)
    return result


def _window(spec: Mapping[str, Any]) -> tuple[float, float, float, float]:
    (x0, x1), (z0, z1) = spec["x_range"], spec["z_range"]
    return float(x0), float(z0), float(x1), float(z1)


def _detail_page(fig: str, section: Section, window: tuple[float, float, float, float],
                 cfg: Settings, lay: Layout) -> Page:
    """A detail view: the window of ``section`` at the scale that spans the
    sight, drawn with the sequence's hatches and numeral sides."""
    snap = Snapshot(0, "detail", fig, detail_section(section, window))
    own = fit_layout([snap], dataclasses.replace(cfg, scale=None))
    room = cfg.profile.sight[2] - 2 * cfg.gutter
    shrink = (room - 2 * PAGE_MARGIN) / room  # the figure page's margins fit the sight too
    own = dataclasses.replace(own, scale=own.scale * shrink, width=own.width * shrink,
                              hatches=lay.hatches, sides=dict(lay.sides), breaks=lay.breaks,
                              cut_out=True)
    return figure_pages([snap], cfg, own, blocks([snap], cfg, own))[0]


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

    All or nothing: every file is encoded first (a missing font or any other
    failure stops the run before a byte is written), then ``commit`` puts
    them in place. ``progress(done, total, name)`` is called per file.
    """
    fmts = formats_arg(formats)
    jobs: list[tuple[str, Callable[[], bytes]]] = []
    for fmt in fmts:
        for page in [*rendering.figures, *rendering.sheets]:
            if fmt == "pdf" and page.is_sheet:
                continue
            jobs.append((f"{page.name}.{fmt}", functools.partial(_encode, page, fmt, dpi,
                                                                  outline_text)))
        if fmt == "pdf" and rendering.sheets:
            jobs.append(("sheets.pdf", lambda: pdf_bytes(rendering.sheets)))
    files = []
    for done, (name, encode) in enumerate(jobs):
        if progress is not None:
            progress(done, len(jobs), name)
        files.append((name, encode()))
    if progress is not None:
        progress(len(jobs), len(jobs), "")
    return commit(folder, files)


def commit(folder: str, files: Sequence[tuple[str, bytes]]) -> list[str]:
    """Write ``files`` (paths relative to ``folder``, bytes) all or nothing:
    into a staging folder beside ``folder`` first (each file synced to disk),
    then moved in; on any failure nothing new is left behind. A path that
    would leave ``folder`` is refused."""
    root = os.path.abspath(folder)
    for name, _ in files:
        target = os.path.abspath(os.path.join(root, name))
        if os.path.commonpath([root, target]) != root or name.startswith(("/", "\\")):
            raise OutputError(f"render: {name!r} would be written outside {folder!r}")
    parent = os.path.dirname(root) or "."
    try:
        os.makedirs(parent, exist_ok=True)
        stage = tempfile.mkdtemp(prefix=".xsection-stage-", dir=parent)
    except OSError as err:
        raise OutputError(f"render: cannot create the output folder {folder!r}: "
                          f"{err.strerror}") from None
    try:
        for name, data in files:
            path = os.path.join(stage, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            _write_synced(path, data)
        if not os.path.exists(root):
            os.replace(stage, root)  # a new folder appears whole
        else:
            for name, _ in files:
                target = os.path.join(root, name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(os.path.join(stage, name), target)
    except OSError as err:
        raise OutputError(f"render: cannot write into {folder!r}: {err.strerror}") from None
    finally:
        if os.path.isdir(stage):
            shutil.rmtree(stage, ignore_errors=True)
    return [os.path.join(folder, name) for name, _ in files]


def _write_synced(path: str, data: bytes) -> None:
    umask = os.umask(0)
    os.umask(umask)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 & ~umask)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


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
            fh.flush()
            os.fsync(fh.fileno())
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


__all__ = ["FORMATS", "OutputError", "Rendering", "check_page", "check_sheets", "commit",
           "formats_arg", "render", "to_svg", "write", "write_atomic"]


from . import notebook  # noqa: E402, F401 - attaches the notebook display (it imports from here)
