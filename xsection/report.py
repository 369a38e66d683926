"""``xsection report``: a self-contained HTML page (and a Markdown twin) with
every figure, its measurements as tables and the check results. Links are
relative, so the folder can be moved or zipped as it is."""

from __future__ import annotations

import html
from typing import Any

from .checks import run_checks
from .flow import Flow
from .render import commit, render
from .render.raster import png_bytes
from .tables import figure_measurements

FIELDS = {
    "bumps": ("numeral", "x", "height", "base_width", "max_width", "neck_width", "volume",
              "cap_radius", "contact_angle_deg"),
    "joints": ("numeral", "x", "standoff", "waist_width", "lower_width", "upper_width",
               "lower_wetted", "upper_wetted", "volume"),
    "concavities": ("numeral", "x", "depth", "opening_width", "interface_width",
                    "undercut_left", "undercut_right", "radius"),
    "holes": ("numeral", "x", "depth", "top_width", "bottom_width", "taper_deg",
              "aspect_ratio"),
}


def _cell(v: Any) -> str:
    if v is None:
        return "–"
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def write_report(flow: Flow, folder: str) -> list[str]:
    """Write figures (colour, with dimensions), ``index.html`` and ``report.md``."""
    snaps = flow.run()
    figures = [s for s in snaps if s.figure]
    rendering = render(figures, style="color", exaggeration=flow.exaggeration, dimensions=True)
    files = [(f"figures/{page.name}.png", png_bytes(page, dpi=200))
             for page in rendering.figures]
    results = run_checks(flow, snaps)
    md = [f"# {flow.title or flow.name}", "", f"Flow `{flow.name}`: {len(figures)} figures, "
          f"{sum(r.passed for r in results)}/{len(results)} checks pass.", ""]
    body = [f"<h1>{html.escape(flow.title or flow.name)}</h1>",
            f"<p>Flow <code>{html.escape(flow.name)}</code>: {len(figures)} figures, "
            f"{sum(r.passed for r in results)}/{len(results)} checks pass.</p>"]
    for snap in figures:
        fig = snap.figure or ""
        data = figure_measurements(snap.section)
        src = f"figures/fig-{fig}.png"
        md += [f"## FIG. {fig}", "", f"![FIG. {fig}]({src})", ""]
        body += [f"<h2>FIG. {html.escape(fig)}</h2>",
                 f'<img src="{src}" alt="FIG. {html.escape(fig)}" style="max-width:100%">']
        for kind, fields in FIELDS.items():
            rows = data[kind]
            if not rows:
                continue
            md += [f"**{kind}**", "", "| " + " | ".join(fields) + " |",
                   "|" + "---|" * len(fields)]
            md += ["| " + " | ".join(_cell(r.get(f)) for f in fields) + " |" for r in rows]
            md.append("")
            body.append(f"<h3>{kind}</h3><table><tr>"
                        + "".join(f"<th>{f}</th>" for f in fields) + "</tr>")
            body += ["<tr>" + "".join(f"<td>{html.escape(_cell(r.get(f)))}</td>" for f in fields)
                     + "</tr>" for r in rows]
            body.append("</table>")
        mine = [r for r in results if r.figure == fig]
        if mine:
            md += ["**checks**", "", "| check | what | value | bound | result |",
                   "|---|---|---|---|---|"]
            md += [f"| {r.kind} | {r.what} | {r.value} | {r.bound} | "
                   f"{'pass' if r.passed else 'FAIL'} |" for r in mine]
            md.append("")
            body.append("<h3>checks</h3><table><tr><th>check</th><th>what</th><th>value</th>"
                        "<th>bound</th><th>result</th></tr>")
            body += [f"<tr><td>{r.kind}</td><td>{html.escape(r.what)}</td>"
                     f"<td>{html.escape(r.value)}</td><td>{html.escape(r.bound)}</td>"
                     f"<td class=\"{'ok' if r.passed else 'bad'}\">"
                     f"{'pass' if r.passed else 'FAIL'}</td></tr>" for r in mine]
            body.append("</table>")
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(flow.title or flow.name)}</title><style>"
            "body{font-family:sans-serif;max-width:60em;margin:2em auto}"
            "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
            "padding:2px 6px;font-size:90%}.ok{color:#060}.bad{color:#b00;font-weight:bold}"
            "</style></head><body>" + "\n".join(body) + "</body></html>\n")
    files += [("index.html", page.encode()), ("report.md", ("\n".join(md) + "\n").encode())]
    return commit(folder, files)  # all or nothing
