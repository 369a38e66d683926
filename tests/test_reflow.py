"""Reflow: cap height from the cubic, exact volume conservation, confinement, bridges."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

import xsection as xs
from xsection import geometry as g
from xsection.ops.reflow import cap_height

from .sections import flush_pad


def test_cap_height_solves_the_cubic():
    a = np.array([1.0, 50.0, 130.0, 1e3])
    v = np.array([1.0, 1e5, 4e6, 1e6])
    h = cap_height(v, a)
    assert np.allclose(np.pi * h * (3 * a**2 + h**2) / 6, v, rtol=1e-12)
    assert cap_height(2 / 3 * math.pi * 10**3, 10.0) == pytest.approx(10.0, rel=1e-12)


@pytest.mark.parametrize("diameter, half", [(200.0, 130.0), (150.0, 40.0), (100.0, 50.0)])
def test_ball_on_a_flush_pad_becomes_the_cap_of_its_volume(diameter, half):
    s = xs.place(flush_pad(half), material="Sn63Pb37", at=300, diameter=diameter, numeral="6")
    ball = s.select(numerals=["6"])[0].geometry
    v0 = g.axisymmetric_volume(ball, 300.0)
    out = xs.reflow(s, peak_temperature=230, rename={"6": "5"})
    (cap,) = out.select(numerals=["5"])
    assert g.axisymmetric_volume(cap.geometry, 300.0) == pytest.approx(v0, rel=1e-6)
    h = float(cap_height(v0, half))
    assert cap.geometry.bounds[3] - 60.0 == pytest.approx(h, rel=2 * xs.tol.arc)
    (base,) = g.chords(cap.geometry, 60.0 + 1e-6)
    assert base[1] - base[0] == pytest.approx(2 * half, abs=1e-3)
    assert (base[0] + base[1]) / 2 == pytest.approx(300.0, abs=1e-6)


def test_a_solder_that_does_not_melt_is_unchanged():
    s = xs.place(flush_pad(100.0), material="Pb90Sn10", at=300, diameter=150)
    assert xs.reflow(s, peak_temperature=230).regions == s.regions


def test_solder_in_a_cup_fills_it_and_caps_on_the_rim():
    s = xs.stack(width=600, layers=[xs.Layer("silicon", 50), xs.Layer("copper", 10, "4"),
                                    xs.Layer("polyimide", 20, "3")])
    s = xs.pattern(s, target="polyimide", remove=[(170, 430)])
    s = xs.place(s, material="Pb83Sn17", at=300, diameter=200, numeral="6")
    v0 = g.axisymmetric_volume(s.select(numerals=["6"])[0].geometry, 300.0)
    out = xs.reflow(s, peak_temperature=320)
    body = out.select(numerals=["6"])[0].geometry
    assert g.axisymmetric_volume(body, 300.0) == pytest.approx(v0, rel=1e-6)
    assert g.intersection(out.ambient(), g.domain_box(170, 430, 60, 80)).area == \
        pytest.approx(0, abs=1e-6)
    v_cup = math.pi * 130**2 * 20
    h = float(cap_height(v0 - v_cup, 130.0))
    assert body.bounds[3] - 80.0 == pytest.approx(h, rel=2 * xs.tol.arc)


def test_touching_bodies_of_one_solder_merge_and_conserve_volume():
    from shapely.geometry import box
    s = flush_pad(100.0)
    a = xs.Region(box(220, 60, 300, 90), "Sn63Pb37", "9")
    b = xs.Region(box(300, 60, 380, 90), "Sn63Pb37", "6")
    s = s.evolve([*s.regions, a, b])
    # every molten body counts as revolved about its own axis (x = 260 and 340):
    # cylinders of radius 40 and height 30
    v0 = 2 * math.pi * 40**2 * 30
    out = xs.reflow(s, peak_temperature=200)
    (body,) = out.select(materials=["Sn63Pb37"])
    assert g.axisymmetric_volume(body.geometry, 300.0) == pytest.approx(v0, rel=1e-6)


def test_neighbouring_caps_that_would_touch_are_a_bridge():
    from shapely.geometry import box
    pads = [box(105, 50, 195, 60), box(205, 50, 295, 60)]
    pi = box(0, 50, 400, 60).difference(pads[0]).difference(pads[1])
    s = xs.Section(0, 400, (xs.Region(box(0, 0, 400, 50), "silicon"),
                            xs.Region(pads[0], "copper"), xs.Region(pads[1], "copper"),
                            xs.Region(pi, "polyimide")))
    small = xs.place(s, material="Sn63Pb37", at=[150, 250], diameter=80)
    assert len(xs.reflow(small, peak_temperature=200).select(materials=["Sn63Pb37"])) == 2
    big = xs.place(s, material="Sn63Pb37", at=[150, 250], diameter=96)
    with pytest.raises(xs.BridgeError, match="bridge"):
        xs.reflow(big, peak_temperature=200)


def test_non_wetting_solder_balls_up():
    s = xs.stack(width=400, layers=[xs.Layer("polyimide", 20)])
    blob = xs.Region(g.domain_box(150, 250, 20, 30), "Sn63Pb37", "s")
    s = s.evolve([*s.regions, blob])
    out = xs.reflow(s, peak_temperature=200)
    body = out.select(numerals=["s"])[0].geometry
    v0 = g.axisymmetric_volume(blob.geometry, 200.0)
    assert g.axisymmetric_volume(body, body.centroid.x) == pytest.approx(v0, rel=1e-6)
    w = body.bounds[2] - body.bounds[0]
    assert body.bounds[3] - body.bounds[1] == pytest.approx(w, rel=1e-3)


def test_reflow_bad_input():
    with pytest.raises(xs.InputError, match="peak_temperature"):
        xs.reflow(flush_pad(50.0), peak_temperature="hot")


def test_solder_on_a_pillar_top_caps_the_top_and_stays_pinned_at_its_edge():
    """Issue 12's minimal case: SnAg 50 × 20 on the Ni top of a Cu pillar. The
    cap stands on the 50-wide top (a = 25), the pillar's sides stay dry, the
    volume π a² 20 is kept and the height solves h³ + 3a²h − 6V/π = 0."""
    from shapely.geometry import box

    s = xs.Section(0, 200, (xs.Region(box(0, 0, 200, 100), "silicon"),
                            xs.Region(box(76, 100, 124, 101), "titanium"),
                            xs.Region(box(75, 101, 125, 141), "copper"),
                            xs.Region(box(75, 141, 125, 144), "nickel"),
                            xs.Region(box(75, 144, 125, 164), "SAC305", "c")))
    out = xs.reflow(s, peak_temperature=250)
    (cap,) = out.select(numerals=["c"])
    a, v = 25.0, math.pi * 25.0**2 * 20.0
    h = 2 * a * math.sinh(math.asinh(3 * v / (math.pi * a**3)) / 3)  # the cubic's real root
    assert h**3 + 3 * a**2 * h - 6 * v / math.pi == pytest.approx(0.0, abs=1e-6)
    assert cap.geometry.bounds[1] == pytest.approx(144.0, abs=1e-6)  # nothing ran down
    assert cap.geometry.bounds[3] - 144.0 == pytest.approx(h, rel=2 * xs.tol.arc)
    assert g.own_axis_volume(cap.geometry) == pytest.approx(v, rel=1e-6)


@pytest.mark.parametrize("wettable", [None, ["nickel"], ["nickel", "titanium"]])
def test_a_pillar_cap_holds_whichever_materials_wet(wettable):
    """Copper wetting or not (an oxidised pillar), the cap stands on the Ni
    top with its volume (the issue's 30x-volume failure had copper dry)."""
    from shapely.geometry import box

    s = xs.Section(0, 200, (xs.Region(box(0, 0, 200, 100), "silicon"),
                            xs.Region(box(76, 100, 124, 101), "titanium"),
                            xs.Region(box(75, 101, 125, 141), "copper"),
                            xs.Region(box(75, 141, 125, 144), "nickel"),
                            xs.Region(box(75, 144, 125, 164), "SnAg", "c")))
    out = xs.reflow(s, peak_temperature=250, wettable=wettable)
    (cap,) = out.select(numerals=["c"])
    a, v = 25.0, math.pi * 25.0**2 * 20.0
    assert g.own_axis_volume(cap.geometry) == pytest.approx(v, rel=1e-6)
    assert cap.geometry.bounds[1] == pytest.approx(144.0, abs=1e-6)
    assert cap.geometry.bounds[3] - 144.0 == pytest.approx(float(cap_height(v, a)),
                                                           rel=2 * xs.tol.arc)


def test_solder_on_a_pad_raised_on_an_undercut_seed_caps_the_pad_only():
    """A Cu pad on a Ti seed etched back under it: the cap stands on the pad
    top, pinned at its edges; nothing runs into the undercut."""
    from shapely.geometry import box

    s = xs.Section(0, 200, (xs.Region(box(0, 0, 200, 20), "polyimide", "4"),
                            xs.Region(box(72.3, 20, 127.7, 20.2), "titanium", "5"),
                            xs.Region(box(70.0, 20.2, 130.0, 28.1), "copper", "p")))
    s = xs.place(s, material="SAC305", at=100.0, diameter=45.3, numeral="b")
    out = xs.reflow(s, peak_temperature=245)
    (cap,) = out.select(numerals=["b"])
    v = math.pi * 45.3**3 / 6
    assert g.own_axis_volume(cap.geometry) == pytest.approx(v, rel=1e-6)
    assert cap.geometry.bounds[1] == pytest.approx(28.1, abs=1e-6)
    assert cap.geometry.bounds[0] == pytest.approx(70.0, abs=1e-6)
    assert cap.geometry.bounds[3] - 28.1 == pytest.approx(float(cap_height(v, 30.0)),
                                                          rel=2 * xs.tol.arc)


def test_solder_filled_between_wettable_walls_reflows_without_error():
    """Found by the random-flow test: solder filled into slits of a nickel
    layer on copper once gave a cap on a base of zero width (a division by zero)."""
    s = xs.stack(width=274.0, layers=[xs.Layer("copper", 2.0, "10"), xs.Layer("nickel", 2.0, "12")])
    s = xs.pattern(s, target="nickel", remove=[(18.3, 40.1), (120.0, 256.875)])
    s = xs.fill(s, material="Sn63Pb37", on="copper", level=3.5, numeral="f")
    before = s.union_of(numerals=["f"])
    out = xs.reflow(s, peak_temperature=250)
    after = out.union_of(numerals=["f"])
    assert g.own_axis_volume(after) == pytest.approx(g.own_axis_volume(before), rel=1e-6)


@pytest.mark.parametrize("pitch", [100.0, 97.31, 123.456789])
def test_a_bump_array_reflows_as_each_bump_would_alone(pitch, monkeypatch):
    """Congruent windows take one solve's answer moved across: it must equal
    a fresh solve of every bump, cap for cap, with the array's last pad made
    wider so one window differs and is solved afresh."""
    import importlib

    rf = importlib.import_module("xsection.ops.reflow")

    n = 12
    pads = [(pitch * i + 0.5 * pitch - 25.0, pitch * i + 0.5 * pitch + 25.0) for i in range(n)]
    pads[-1] = (pads[-1][0] - 7.77, pads[-1][1])
    s = xs.stack(width=pitch * n, layers=[xs.Layer("silicon", 50), xs.Layer("copper", 10, "4")])
    s = xs.pattern(s, target="copper", keep=pads)
    s = xs.laminate(s, material="polyimide", top=60.0, numeral="3")
    s = xs.place(s, material="SAC305", at=[pitch * i + 0.5 * pitch for i in range(n)],
                 diameter=45.0, numeral="6")
    calls = {"fresh": 0, "moved": 0}
    solve = rf.Congruent.solve

    def counted(self, rest, body, pad, volume, phys, fresh):
        before = self.hits
        out = solve(self, rest, body, pad, volume, phys, fresh)
        calls["moved" if self.hits > before else "fresh"] += 1
        return out

    monkeypatch.setattr(rf.Congruent, "solve", counted)
    shared = xs.reflow(s, peak_temperature=250)
    monkeypatch.setattr(rf.Congruent, "solve",
                        lambda self, rest, body, pad, volume, phys, fresh: fresh())
    alone = xs.reflow(s, peak_temperature=250)
    assert calls["moved"] >= n - 4 and calls["fresh"] >= 2  # the wide pad is its own
    caps = sorted((r.geometry for r in shared.select(numerals=["6"])), key=lambda p: p.bounds[0])
    fresh = sorted((r.geometry for r in alone.select(numerals=["6"])), key=lambda p: p.bounds[0])
    assert len(caps) == len(fresh) == n
    for a, b in zip(caps, fresh):
        assert a.symmetric_difference(b).area <= 1e-6 * b.area
        assert shapely.hausdorff_distance(a, b) <= 2 * xs.tol.grid
    # the wide pad's cap is lower and wider than the others'
    assert caps[-1].bounds[2] - caps[-1].bounds[0] > caps[0].bounds[2] - caps[0].bounds[0] + 5
