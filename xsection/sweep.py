"""Design sweeps: a grid of recipes, each run and measured, on Dask.

    xsection sweep tsv --set 'steps[0].depth=80:120:10' --set 'steps[0].openings=...'
                       --measure 1A:void:10:depth -o sweep.csv

Each ``--set PATH=START:STOP:STEP`` (or ``=a,b,c``) is an axis; the grid is
every combination. ``PATH`` addresses the recipe's TOML data:
``steps[0].depth`` is the first ``[[steps]]`` table's depth (indices from
0, as in the file), ``layers[1].thickness``, ``domain.width``. Each point
runs in a worker (local processes by default; a ``dask.distributed``
scheduler when one is given) and gives one row: the parameters, each
``--measure FIGURE:REF`` as its mean and spread (max − min over the items it
names), whether the recipe's checks pass and which fail, and the error of a
point that could not run (its row is kept)::

    point  steps[0].depth  1A:void:10:depth  ... spread  checks  passed  failed  error
    0      80              80.0                0.0       8/8     true
"""

from __future__ import annotations

import copy
import csv
import io
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .check_specs import ValueRef, parse_ref
from .errors import InputError, XsectionError
from .recipe import from_data, read

#: Most points a sweep may have.
MAX_POINTS = 100_000
_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")


@dataclass(frozen=True)
class Axis:
    """One swept field: its path in the recipe data and its values."""

    path: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Measure:
    """A value read on a figure of each point: ``FIGURE:kind:name[:field]``."""

    figure: str
    ref: ValueRef

    @property
    def text(self) -> str:
        return f"{self.figure}:{self.ref.text}"


def parse_axis(text: str) -> Axis:
    """``PATH=START:STOP:STEP`` (STOP included when the steps reach it) or
    ``PATH=a,b,c``.

    >>> parse_axis("steps[0].depth=1:2:0.25").values
    (1.0, 1.25, 1.5, 1.75, 2.0)
    """
    path, sep, spec = text.partition("=")
    here = f"sweep: --set {text!r}"
    if not sep or not path.strip():
        raise InputError(f"{here}: must be PATH=START:STOP:STEP or PATH=a,b,c")
    _segments(here, path.strip())
    try:
        numbers = [float(v) for v in spec.split(":" if ":" in spec else ",")]
    except ValueError:
        numbers = [math.nan]
    if not all(math.isfinite(v) for v in numbers) or (":" in spec and len(numbers) != 3):
        raise InputError(f"{here}: the values must be START:STOP:STEP or a,b,c of finite "
                         f"numbers (got {spec!r})")
    if ":" not in spec:
        return Axis(path.strip(), tuple(numbers))
    start, stop, step = numbers
    if step <= 0 or stop < start:
        raise InputError(f"{here}: needs STEP > 0 and STOP >= START (got {spec!r})")
    count = math.floor((stop - start) / step + 1e-9) + 1
    if count > MAX_POINTS:
        raise InputError(f"{here}: {count} values; at most {MAX_POINTS}")
    return Axis(path.strip(), tuple(float(f"{start + k * step:.12g}") for k in range(count)))


def _segments(here: str, path: str) -> list[str | int]:
    """``steps[0].openings[1][0]`` as ['steps', 0, 'openings', 1, 0]."""
    out: list[str | int] = []
    for part in path.split("."):
        m = _SEGMENT.fullmatch(part)
        if not m:
            raise InputError(f"{here}: {part!r} is not a field, field[N] or field[N][M]")
        out.append(m.group(1))
        out.extend(int(i) for i in re.findall(r"\d+", m.group(2)))
    return out


def parse_measure(text: str) -> Measure:
    """``FIGURE:kind:name[:field]``, e.g. ``1M:bump:20a:neck_width``."""
    figure, sep, ref = text.partition(":")
    if not sep or not figure:
        raise InputError(f"sweep: --measure {text!r} must be FIGURE:kind:name[:field], such as "
                         f"'1M:bump:20a:neck_width'")
    return Measure(figure, parse_ref(f"sweep: --measure {text!r}", "measure", ref))


def assign(data: Mapping[str, Any], path: str, value: float) -> dict[str, Any]:
    """A copy of recipe ``data`` with ``path`` set to ``value``; the path's
    tables and array items must exist (its last key may be new)."""
    out = copy.deepcopy(dict(data))
    here = f"sweep: {path!r}"
    steps = _segments(here, path)
    node: Any = out
    trail = ""
    for k, step in enumerate(steps):
        is_last = k == len(steps) - 1
        if isinstance(step, str):
            if not isinstance(node, dict):
                raise InputError(f"{here}: {trail} is a value, not a table")
            if is_last:
                node[step] = value
                break
            if step not in node:
                raise InputError(f"{here}: {trail or 'the recipe'} has no {step!r}; it has "
                                 f"{', '.join(sorted(node))}")
            trail = f"{trail}.{step}" if trail else step
        else:
            if not isinstance(node, list) or step >= len(node):
                size = len(node) if isinstance(node, list) else 0
                raise InputError(f"{here}: {trail}[{step}] does not exist ({trail} has {size} "
                                 f"items, numbered from 0)")
            if is_last:
                node[step] = value
                break
            trail = f"{trail}[{step}]"
        node = node[step]
    return out


def grid(axes: Sequence[Axis]) -> list[dict[str, float]]:
    """Every combination of the axes' values, the last axis varying fastest."""
    total = math.prod(len(a.values) for a in axes)
    if total > MAX_POINTS:
        raise InputError(f"sweep: {total} points; at most {MAX_POINTS}")
    return [dict(zip([a.path for a in axes], combo))
            for combo in itertools.product(*(a.values for a in axes))]


def run_point(data: Mapping[str, Any], path: str, point: Mapping[str, float],
              measures: Sequence[Measure]) -> dict[str, Any]:
    """One row: the point's parameters, its measures (mean and spread), its
    checks, or the error that stopped it (a pure function of its inputs)."""
    from .checks import run_checks, values

    row: dict[str, Any] = dict(point)
    for m in measures:
        row[m.text], row[f"{m.text} spread"] = "", ""
    row.update(checks="", passed="", failed="", error="")
    try:
        recipe = dict(data)
        for key, value in point.items():
            recipe = assign(recipe, key, value)
        flow = from_data(recipe, path)
        snaps = flow.run()
        for m in measures:
            got = values(snaps.figure(m.figure, op="sweep").section, m.ref, {})
            if not got:
                raise InputError(f"{m.text}: names no item on figure {m.figure}")
            row[m.text] = sum(got) / len(got)
            row[f"{m.text} spread"] = max(got) - min(got)
        results = run_checks(flow, snaps)
        failed = [f"{r.figure}:{r.kind} {r.what}" for r in results if not r.passed]
        row.update(checks=f"{len(results) - len(failed)}/{len(results)}",
                   passed=not failed, failed="; ".join(failed))
    except (XsectionError, ValueError, ArithmeticError) as err:
        row["error"] = str(err)
    return row


def sweep(source: str, axes: Sequence[Axis], measures: Sequence[Measure], *,
          scheduler: str | None = None, workers: int | None = None,
          progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Run every point of the grid; rows in grid order. Local processes by
    default (``workers`` of them; default: one per core); with ``scheduler``
    (an address such as ``tcp://10.0.0.5:8786``) on that dask.distributed
    cluster, whose workers must see the recipe's files at the same paths."""
    data, path = read(source)
    base = from_data(data, path)  # the unswept recipe must load
    figures = set(base.figure_ids())
    for m in measures:
        if m.figure not in figures:
            raise InputError(f"sweep: --measure {m.text!r}: no figure {m.figure!r}; figures: "
                             f"{', '.join(sorted(f for f in figures if f))}")
    points = grid(axes)
    for axis in axes:
        assign(data, axis.path, axis.values[0])  # a path that does not exist fails now
    try:
        import dask
        from dask.delayed import delayed
    except ImportError:
        raise InputError("sweep: needs dask: pip install 'xsection[sweep]'") from None
    if scheduler is None:
        tasks = [delayed(run_point)(data, path, p, measures) for p in points]
        return _local(dask, tasks, workers, progress)
    return _distributed(scheduler, data, path, points, measures, progress)


def _local(dask: Any, tasks: list[Any], workers: int | None,
           progress: Callable[[int, int], None] | None) -> list[dict[str, Any]]:
    from dask.callbacks import Callback

    done = [0]

    class _Bar(Callback):
        def _posttask(self, key: Any, result: Any, dsk: Any, state: Any, id: Any) -> None:
            if isinstance(result, dict) and progress is not None:
                done[0] += 1
                progress(done[0], len(tasks))

    with _Bar():
        rows = dask.compute(*tasks, scheduler="processes", num_workers=workers)
    return list(rows)


def _distributed(address: str, data: Mapping[str, Any], path: str,
                 points: Sequence[Mapping[str, float]], measures: Sequence[Measure],
                 progress: Callable[[int, int], None] | None) -> list[dict[str, Any]]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise InputError("sweep: --scheduler needs dask.distributed: pip install "
                         "'xsection[sweep]'") from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as err:
        raise InputError(f"sweep: cannot reach the scheduler at {address!r}: {err}") from None
    with client:
        futures = [client.submit(run_point, data, path, p, measures, pure=False)
                   for p in points]
        for k, _ in enumerate(as_completed(futures), start=1):
            if progress is not None:
                progress(k, len(futures))
        return list(client.gather(futures))


def to_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """The rows as CSV, a 'point' column first; numbers as Python writes
    them (round-trip exact), booleans as true/false."""
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    head = list(rows[0])
    writer.writerow(["point", *head])
    for k, row in enumerate(rows):
        writer.writerow([k, *(_cell(row[h]) for h in head)])
    return out.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, float) else str(value)


def plot_png(rows: Sequence[Mapping[str, Any]], axes: Sequence[Axis],
             measures: Sequence[Measure], *, dpi: int = 150) -> bytes:
    """One panel per measure against the first axis, a line per value of
    the other axes; hollow markers where the checks fail, no marker where
    the point could not run."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if not measures:
        raise InputError("sweep: --plot needs at least one --measure")
    x_axis, others = axes[0].path, [a.path for a in axes[1:]]
    fig = Figure(figsize=(6.4, 2.6 * len(measures)), layout="constrained")
    FigureCanvasAgg(fig)
    series: dict[tuple[float, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        series.setdefault(tuple(row[o] for o in others), []).append(row)
    for k, m in enumerate(measures):
        ax = fig.add_subplot(len(measures), 1, k + 1)
        for key, group in series.items():
            ok = [r for r in group if r["error"] == ""]
            name = ", ".join(f"{o} = {v:g}" for o, v in zip(others, key)) or None
            line, = ax.plot([r[x_axis] for r in ok], [r[m.text] for r in ok], "-", label=name)
            for r in ok:
                ax.plot(r[x_axis], r[m.text], "o", color=line.get_color(),
                        mfc=line.get_color() if r["passed"] else "white")
        ax.set_xlabel(x_axis)
        ax.set_ylabel(m.text)
        ax.grid(alpha=0.3)
        if others:
            ax.legend(fontsize=7)
    fig.suptitle("sweep (hollow: checks fail)", fontsize=9)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
