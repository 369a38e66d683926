"""The ``xsection`` command line: render, list (check and measure come with
the measurement module)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__
from .errors import InputError, InternalError, XsectionError
from .flow import OPERATORS
from .materials import MATERIALS
from .recipe import BUILTIN, load

EXIT_OK, EXIT_CHECKS_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code: 0 ok, 1 checks failed, 2 bad input,
    3 an internal error (one line; ``--debug`` shows the traceback), 130 on
    Ctrl-C. Nothing but ``--debug`` ever prints a traceback."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("xsection: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except XsectionError as err:
        print(f"xsection: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as err:
        print(f"xsection: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as err:  # a bug of ours: one line, the traceback on request
        if getattr(args, "debug", False):
            raise
        recipe = getattr(args, "recipe", None)
        what = str(err) if isinstance(err, InternalError) else f"{type(err).__name__}: {err}"
        where = f" ({recipe})" if recipe and not isinstance(err, InternalError) else ""
        print(f"xsection: internal error{where}: {what} (rerun with --debug for the "
              f"traceback)", file=sys.stderr)
        return EXIT_INTERNAL


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xsection", description=__doc__)
    p.add_argument("--version", action="version", version=f"xsection {__version__}")
    p.add_argument("--debug", action="store_true", help="show the traceback of internal errors")
    sub = p.add_subparsers(dest="command")
    r = sub.add_parser("render", help="render a recipe's figures")
    r.add_argument("recipe", nargs="?", default="seed001",
                   help=f"a recipe path or a built-in flow ({', '.join(BUILTIN)}); "
                        f"default seed001")
    r.add_argument("-o", "--out", default="out", help="output folder (default: out)")
    r.add_argument("--style", default="patent", choices=("patent", "color", "colour"),
                   help="patent (default) or color")
    r.add_argument("--format", default="svg,png,pdf", help="comma-separated: svg,png,pdf")
    r.add_argument("--profile", default="a4", choices=("a4", "letter", "jpo"),
                   help="sheet profile (default a4)")
    r.add_argument("--exaggeration", type=float, default=None,
                   help="vertical exaggeration shared by the sequence (default: the recipe's)")
    r.add_argument("--palette", default="default", choices=("default", "cb"),
                   help="colour style palette (cb: colour-blind safe)")
    r.add_argument("--dimensions", action="store_true",
                   help="draw measured heights, widths and depths")
    r.add_argument("--quiet", action="store_true", help="print nothing but errors")
    r.set_defaults(run=_render)
    c = sub.add_parser("check", help="run a recipe's checks; exit 1 if any fails")
    c.add_argument("recipe", nargs="?", default="seed001")
    c.set_defaults(run=_check)
    m = sub.add_parser("measure", help="measure a recipe's figures")
    m.add_argument("recipe", nargs="?", default="seed001")
    m.add_argument("--figure", default=None, help="one figure id (default: all)")
    m.add_argument("--format", default="json", choices=("json", "csv", "md"),
                   help="json (default), csv or md")
    m.set_defaults(run=_measure)
    rp = sub.add_parser("report", help="an HTML page and a Markdown twin of a recipe")
    rp.add_argument("recipe", nargs="?", default="seed001")
    rp.add_argument("-o", "--out", default="report", help="output folder (default: report)")
    rp.add_argument("--quiet", action="store_true")
    rp.set_defaults(run=_report)
    ex = sub.add_parser("export", help="one figure's section as GDS, DXF or a mesh")
    ex.add_argument("recipe", nargs="?", default="seed001")
    ex.add_argument("--figure", default=None, help="figure id (default: the last figure)")
    ex.add_argument("--format", default=None, choices=("gds", "dxf", "msh", "vtu"),
                    help="default: from the output file's suffix")
    ex.add_argument("-o", "--out", required=True, help="output file")
    ex.add_argument("--mesh-size", type=float, default=None,
                    help="largest mesh element size, µm (msh, vtu)")
    ex.add_argument("--mesh-min", type=float, default=None,
                    help="smallest mesh element size, µm (msh, vtu)")
    ex.add_argument("--quiet", action="store_true")
    ex.set_defaults(run=_export)
    sw = sub.add_parser("sweep", help="run a grid of a recipe's parameters on Dask")
    sw.add_argument("recipe")
    sw.add_argument("--set", dest="axes", action="append", default=[], required=True,
                    metavar="PATH=START:STOP:STEP",
                    help="a swept field, e.g. 'steps[0].depth=80:120:10' (indices from 0) "
                         "or 'layers[1].thickness=5,7.5,10'; repeat for a grid")
    sw.add_argument("--measure", action="append", default=[], metavar="FIGURE:REF",
                    help="a value per point, e.g. '1M:bump:20a:neck_width'")
    sw.add_argument("-o", "--out", required=True, help="the CSV file")
    sw.add_argument("--plot", default=None, help="also a PNG of the measures")
    sw.add_argument("--scheduler", default=None,
                    help="a dask.distributed scheduler address (default: local processes)")
    sw.add_argument("--workers", type=int, default=None,
                    help="local processes (default: one per core)")
    sw.add_argument("--quiet", action="store_true")
    sw.set_defaults(run=_sweep)
    ls = sub.add_parser("list", help="built-in flows, operators and materials")
    ls.add_argument("--op", choices=sorted(OPERATORS), metavar="NAME",
                    help="one operator's keywords: types, units, defaults")
    ls.set_defaults(run=_list)
    sc = sub.add_parser("schema", help="the JSON Schema of the recipe format")
    sc.set_defaults(run=_schema)
    def usage(_: argparse.Namespace) -> int:
        p.print_help()
        return EXIT_BAD_INPUT

    p.set_defaults(run=usage)
    return p


def _render(args: argparse.Namespace) -> int:
    from .render import formats_arg, render, write

    formats = formats_arg(args.format)
    flow = load(args.recipe)
    exaggeration = flow.exaggeration if args.exaggeration is None else args.exaggeration
    rendering = render(flow, style=args.style, profile=args.profile,
                       exaggeration=exaggeration, palette=args.palette,
                       dimensions=args.dimensions)
    bar = _progress if sys.stderr.isatty() and not args.quiet else None
    for path in write(rendering, args.out, formats, progress=bar):
        if not args.quiet:
            print(path)
    return EXIT_OK


def _progress(done: int, total: int, name: str) -> None:
    """A one-line progress bar on the terminal (stderr)."""
    width = 30
    filled = width * done // max(total, 1)
    end = "\n" if done == total else ""
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name:<20}", end=end,
          file=sys.stderr, flush=True)


def _check(args: argparse.Namespace) -> int:
    from .checks import run_checks, table

    results = run_checks(load(args.recipe))
    print(table(results))
    return EXIT_OK if all(r.passed for r in results) else EXIT_CHECKS_FAILED


def _measure(args: argparse.Namespace) -> int:
    from .tables import measurements, to_csv, to_json, to_markdown

    if args.format not in ("json", "csv", "md"):
        raise InputError(f"measure: {args.format!r} is not a valid 'format', must be one of "
                         f"'json', 'csv', 'md'")
    data = measurements(load(args.recipe), figure=args.figure)
    print({"json": to_json, "csv": to_csv, "md": to_markdown}[args.format](data), end="")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from .report import write_report

    for path in write_report(load(args.recipe), args.out):
        if not args.quiet:
            print(path)
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from .export import FORMATS, export, figure_section, material_layers

    fmt = args.format or os.path.splitext(args.out)[1].lstrip(".").lower()
    if fmt not in FORMATS:
        raise InputError(f"export: cannot tell the format of {args.out!r}; give --format "
                         f"{'|'.join(FORMATS)} or a file ending in one of them")
    figure, section = figure_section(load(args.recipe), args.figure)
    path = export(section, args.out, fmt, size_max=args.mesh_size, size_min=args.mesh_min)
    if not args.quiet:
        names = material_layers(section)
        if fmt == "gds":
            what = ", ".join(f"layer {n}/0 {m}" for m, n in names.items())
        elif fmt == "vtu":
            what = ", ".join(f"material {n - 1} {m}" for m, n in names.items())
        else:
            what = "one layer per material" if fmt == "dxf" else "physical groups per body " \
                                                                 "and per material"
        print(f"{path} (FIG. {figure}; {what})")
    return EXIT_OK


def _sweep(args: argparse.Namespace) -> int:
    from .render import write_atomic
    from .sweep import parse_axis, parse_measure, plot_png, sweep, to_csv

    axes = [parse_axis(a) for a in args.axes]
    measures = [parse_measure(m) for m in args.measure]
    for path in (args.out, args.plot):
        if path and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise InputError(f"sweep: no folder to write {path!r} into")
    if args.workers is not None and args.workers < 1:
        raise InputError(f"sweep: '--workers' must be >= 1 (got {args.workers})")
    bar = (lambda done, total: _progress(done, total, "points")) \
        if sys.stderr.isatty() and not args.quiet else None
    rows = sweep(args.recipe, axes, measures, scheduler=args.scheduler, workers=args.workers,
                 progress=bar)
    png = plot_png(rows, axes, measures) if args.plot else None
    write_atomic(args.out, to_csv(rows).encode())
    if png is not None:
        write_atomic(args.plot, png)
    if not args.quiet:
        errors = sum(1 for r in rows if r["error"])
        failing = sum(1 for r in rows if not r["error"] and not r["passed"])
        print(f"{args.out}: {len(rows)} points, {failing} failing checks, {errors} errors"
              + (f"; {args.plot}" if args.plot else ""))
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    if args.op:
        from .reference import describe

        print(describe(args.op))
        return EXIT_OK
    print("flows:     " + ", ".join(BUILTIN))
    print("operators: " + ", ".join(sorted(OPERATORS)))
    print("materials: " + ", ".join(f"{m.name} ({m.cls})" for m in MATERIALS.values()))
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    import json

    from .reference import recipe_schema

    print(json.dumps(recipe_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
