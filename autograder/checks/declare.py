"""The one way to declare checks: a :class:`Table` per student module.

Every assignment's check module has a ``checks()`` generator that yields its checks in report
order, each declared by one call on the module's table::

    table = Table("layers")
    yield table.values("conv_forward.basic", CONV_F, conv_basic, "stride 1, pad 0")
    yield table.backward("conv_backward.stride", CONV_F, CONV_B, conv_stride, "stride 2 and 3",
                         wrt={"dx": "x", "dw": "w", "db": "b"})
    yield table.check("max_pool2d.slides", maxpool_slides, "the slides' 6x6 example", reference=False)

A check's name is ``function.aspect`` and is also its key in the rubric; the function graded is
the name's prefix unless ``function=`` says otherwise (``None`` for checks of no single function:
quiz questions, the training task, a trained model file). The families (``values``, ``backward``,
``no_mutation``, ``raises``) are :mod:`autograder.checks.families`; :meth:`Table.check` takes any
``run(ctx) -> None`` that raises :class:`~autograder.checks.base.CheckFailed` (bind its
parameters with ``functools.partial``). Nothing registers itself: the registry lists each
assignment's ``checks`` generators explicitly.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from autograder.checks import families as fam
from autograder.checks.base import Check, Ctx
from autograder.checks.families import BadCase, CaseMaker, Spec

_FROM_NAME: Any = object()        # sentinel: the function graded is the name's prefix


@dataclass(frozen=True)
class Table:
    """The checks of one student module (``module``: the file ``<module>.py``)."""

    module: str

    def check(self, name: str, run: Callable[[Ctx], None], what: str, *,
              requires: Sequence[str] = (), reference: bool = True,
              function: str | None = _FROM_NAME) -> Check:
        """A check that runs ``run(ctx)``; ``what`` is the one line a report prints for it.

        ``requires``: checks that must pass for this one to earn points (of the same function,
        so a bug costs its own function's points only). ``reference``: whether it compares with
        the reference solutions (False: fixed expected values, e.g. the slides' examples)."""
        if not name or "." not in name:
            raise ValueError(f"check name {name!r}: write it as 'function.aspect' (its rubric key)")
        graded = name.split(".")[0] if function is _FROM_NAME else function
        return Check(name, graded, self.module, run, what, tuple(requires), needs_reference=reference)

    def values(self, name: str, spec: Spec, cases: CaseMaker, what: str, *,
               dtype: np.dtype | type | None = None, requires: Sequence[str] = (),
               reference: bool = True) -> Check:
        """``spec``'s outputs equal the reference's on every case of ``cases(rng)``; with
        ``dtype``, they must also have that dtype (values to its precision)."""
        return self.check(name, partial(fam.values, spec=spec, cases=cases, dtype=dtype), what,
                          requires=requires, reference=reference, function=spec.name)

    def backward(self, name: str, forward: Spec, back: Spec, cases: CaseMaker, what: str, *,
                 wrt: dict[str, str] | None = None, dtype: np.dtype | type | None = None,
                 requires: Sequence[str] = ()) -> Check:
        """``back``'s gradients, through the student's own ``forward`` and its cache, equal the
        reference's; ``wrt`` maps gradients to forward inputs (``{"dx": "x"}``) for the
        numerical probe that tells a wrong backward from a wrong forward."""
        run = partial(fam.backward, forward=forward, back=back, cases=cases, dtype=dtype)
        if wrt is not None:
            run = partial(run, wrt=wrt)
        return self.check(name, run, what, requires=requires, function=back.name)

    def no_mutation(self, name: str, spec: Spec, cases: CaseMaker, what: str, *,
                    backward_of: Spec | None = None, requires: Sequence[str] = ()) -> Check:
        """``spec`` leaves its array arguments unchanged (a backward pass: ``dout``, with the
        cache of the student's ``backward_of`` forward pass)."""
        run = partial(fam.no_mutation, spec=spec, cases=cases)
        if backward_of is not None:
            run = partial(run, backward_of=backward_of)
        return self.check(name, run, what, requires=requires, function=spec.name)

    def raises(self, name: str, spec: Spec, bad_cases: Callable[[np.random.Generator], Sequence[BadCase]],
               what: str, *, requires: Sequence[str] = ()) -> Check:
        """Each bad call raises ValueError whose message names the faulty argument."""
        return self.check(name, partial(fam.raises, spec=spec, bad_cases=bad_cases), what,
                          requires=requires, function=spec.name)
