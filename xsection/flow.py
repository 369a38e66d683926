"""A process flow as data: an initial stack and an ordered list of steps,
and the parts made apart (each a flow of its own) that its steps assemble.

Running a flow runs its parts first, then applies each step's operator and
keeps one snapshot per step; a step may mark its snapshot as a figure
("1C")::

    parts   die:        stack -> pattern -> place (figure 3A)
            substrate:  stack -> pattern -> laminate
    flow    base = substrate -> mount die (figure 1B) -> reflow -> fill
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from . import ops
from .errors import GeometryError, InputError, InternalError, UnknownNameError, XsectionError
from .materials import MATERIALS, MaterialLibrary
from .section import Layer, Section
from .tolerances import tol

#: Operators a flow step can name, by their function names.
OPERATORS: Mapping[str, Callable[..., Section]] = MappingProxyType({
    "age": ops.age, "anneal": ops.anneal, "bond": ops.bond, "deposit": ops.deposit,
    "drill": ops.drill, "etch": ops.etch,
    "fill": ops.fill, "flip": ops.flip, "grind": ops.grind, "label": ops.label,
    "assembly": ops.assembly,
    "laminate": ops.laminate, "mount": ops.mount,
    "pattern": ops.pattern, "place": ops.place, "plate": ops.plate, "reflow": ops.reflow,
    "rename": ops.rename,
    "roughen": ops.roughen, "split": ops.split, "strip": ops.strip,
    "underfill": ops.underfill,
})


#: The keywords that name another section (a part, a figure), by operator.
PART_KEYS: Mapping[str, tuple[str, ...]] = MappingProxyType({"bond": ("upper",),
                                                            "mount": ("part",)})


@dataclass(frozen=True)
class Step:
    """One process step: an operator name, its keyword parameters, and the
    figure its result is (if any). ``bond`` takes ``upper`` and ``mount``
    takes ``part``: the name of a part, the figure id of an earlier snapshot
    or, for ``bond``, ``"self"`` (a copy of the current section)."""

    op: str
    params: Mapping[str, Any] = field(default_factory=dict)
    figure: str | None = None
    note: str = ""
    allow_no_change: bool = False  # a step meant to change nothing (else that is an error)


@dataclass(frozen=True)
class Snapshot:
    """The section after step ``index`` (0 is the initial stack) of the
    flow, or of its part ``part``."""

    index: int
    op: str
    figure: str | None
    section: Section
    part: str = ""


class Run(list[Snapshot]):
    """The snapshots of one run of a flow from the stack on, a part's just
    before the step that first uses it: a list, which a notebook shows as a
    table of its steps with each figure drawn."""

    @property
    def figures(self) -> list[Snapshot]:
        """The snapshots marked as figures, in flow order."""
        return [s for s in self if s.figure]

    def figure(self, figure: str, *, op: str = "run") -> Snapshot:
        """The snapshot of figure ``figure`` ("1C"); an unknown one is an
        error naming ``op`` and the figures there are."""
        for snap in self:
            if snap.figure == figure:
                return snap
        raise UnknownNameError(f"{op}: figure {figure!r} does not exist; figures: "
                               f"{', '.join(str(s.figure) for s in self.figures) or 'none'}")


@dataclass(frozen=True)
class Flow:
    """A whole process flow (lengths in µm)."""

    name: str
    width: float
    layers: tuple[Layer, ...]
    steps: tuple[Step, ...] = ()
    title: str = ""
    back_to_back: Layer | None = None
    stack_figure: str | None = None
    materials: MaterialLibrary = MATERIALS
    checks: tuple[Mapping[str, Any], ...] = ()
    exaggeration: float = 1.0  # the recipe's preferred vertical exaggeration of figures
    breaks: tuple[tuple[str, str], ...] = ()  # (numeral, side): drawn in part, a break line there
    extras: tuple[Mapping[str, Any], ...] = ()  # figures that are not sections (plan, phase)
    source: str = field(default="", compare=False)  # the recipe file, for messages
    parts: tuple[Flow, ...] = ()  # parts made apart, each a flow named by its name
    base: str | None = None  # start from this part as it ends, not from ``layers``

    def initial(self) -> Section:
        """The initial stack (a flow that starts from a part has none of its own)."""
        if self.base is not None:
            raise InputError(f"{self.name}: starts from part {self.base!r}; run() builds it")
        return ops.stack(width=self.width, layers=self.layers, back_to_back=self.back_to_back,
                         materials=self.materials)

    def figure_ids(self) -> list[str]:
        """Every figure the flow makes, in run order (a part's where it is
        first used, unused parts' last)."""
        by_name = {p.name: p for p in self.parts}
        ids: list[str] = []
        used: set[str] = set()

        def use(ref: object) -> None:
            if isinstance(ref, str) and ref in by_name and ref not in used:
                used.add(ref)
                ids.extend(by_name[ref].figure_ids())

        use(self.base)
        ids += [self.stack_figure] if self.stack_figure else []
        for step in self.steps:
            for key in PART_KEYS.get(step.op, ()):
                use(step.params.get(key))
            ids += [step.figure] if step.figure else []
        for name in by_name:
            use(name)
        return ids

    def run(self, *, until: int | None = None) -> Run:
        """Run the steps in order, one snapshot per step, the stack (or the
        base part) first; a part runs where it is first used, its snapshots
        just before the step that uses it (parts no step uses run last)."""
        out: list[Snapshot] = []
        finals: dict[str, Section] = {}
        by_name = {p.name: p for p in self.parts}

        def part(index: int, op: str, ref: object) -> Section:
            if isinstance(ref, str) and ref in by_name and ref not in finals:
                ran = by_name[ref].run()
                out.extend(replace(s, part=ref) for s in ran)
                finals[ref] = ran[-1].section
            return self._part(index, op, ref, finals, out)

        if self.base is None:
            current = self._at("stack", 0, self.initial)
            out.append(Snapshot(0, "stack", self.stack_figure, current))
        else:
            current = part(0, "base", self.base)
            out.append(Snapshot(0, "base", self.stack_figure, current))
        where = f"{self.source}: " if self.source else ""
        for i, step in enumerate(self.steps[:until], start=1):
            fn = OPERATORS.get(step.op)
            if fn is None:
                raise UnknownNameError(f"{where}step {i}: unknown op {step.op!r}; known: "
                                       f"{', '.join(sorted(OPERATORS))}")
            params = dict(step.params)
            before = current
            for key in PART_KEYS.get(step.op, ()):
                ref = params.get(key, "self")
                params[key] = before if ref == "self" and step.op == "bond" else \
                    part(i, step.op, ref)
            current = self._at(step.op, i, lambda: fn(before, **params))
            self._changed(i, step, before, current)
            out.append(Snapshot(i, step.op, step.figure, current))
        if until is None:
            for name in by_name:
                part(len(self.steps) + 1, "run", name)
        return Run(out)

    def figures(self) -> list[Snapshot]:
        """The snapshots marked as figures, in flow order."""
        return self.run().figures

    def _at(self, op: str, index: int, call: Callable[[], Section]) -> Section:
        """``call()``, its errors naming the recipe and the step."""
        where = self._where(index, op)
        try:
            return call()
        except XsectionError as err:
            raise type(err)(f"{where}: {err}") from err
        except TypeError as err:
            raise InputError(f"{where}: {err}") from err
        except (KeyboardInterrupt, MemoryError):
            raise
        except Exception as err:  # a bug: named, so it can be reported
            raise InternalError(f"{where}: {type(err).__name__}: {err}") from err

    def _where(self, index: int, op: str) -> str:
        """'file.toml: step 3 (etch)', for messages."""
        return f"{self.source}: step {index} ({op})" if self.source else f"step {index} ({op})"

    def _changed(self, index: int, step: Step, before: Section, after: Section) -> None:
        """A step that leaves nothing, or changes nothing, is an error (a typo
        in a material name, a level above everything) unless it says so."""
        where = self._where(index, step.op)
        if not after.regions:
            raise GeometryError(f"{where}: leaves the section empty; nothing would be drawn")
        if step.allow_no_change or step.op in PART_KEYS:
            return
        if _same_bodies(before, after) and after.labels == before.labels:
            names = sorted({r.material for r in before.regions})
            raise GeometryError(
                f"{where}: changes nothing (parameters {dict(step.params)}); materials "
                f"present: {', '.join(names)}. Set allow_no_change = true on the step if "
                f"that is intended")

    def _part(self, index: int, op: str, ref: object, finals: Mapping[str, Section],
              snaps: list[Snapshot]) -> Section:
        """The section a part reference names: a part as it ends, or an
        earlier figure."""
        if isinstance(ref, Section):
            return ref
        if isinstance(ref, str) and ref in finals:
            return finals[ref]
        for snap in snaps:
            if snap.figure is not None and snap.figure == ref:
                return snap.section
        known = [s.figure for s in snaps if s.figure]
        raise UnknownNameError(f"{self._where(index, op)}: {ref!r} is neither a part "
                               f"({', '.join(finals) or 'none'}) nor an earlier figure "
                               f"({', '.join(str(k) for k in known) or 'none'})")


def _same_bodies(a: Section, b: Section) -> bool:
    """True if ``b`` holds the same bodies as ``a`` (to ``tol.area``): cheap
    tests first (count, names, areas), an overlay only where all agree."""
    if len(a.regions) != len(b.regions):
        return False
    pairs = list(zip(a.regions, b.regions))
    if any((p.material, p.numeral) != (q.material, q.numeral) or
           abs(p.geometry.area - q.geometry.area) > tol.area for p, q in pairs):
        return False
    return all(p.geometry is q.geometry or p.geometry == q.geometry or
               p.geometry.symmetric_difference(q.geometry).area <= tol.area
               for p, q in pairs)
