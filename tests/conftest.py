"""Strict invariant checks on for every test."""

from __future__ import annotations

import pytest

from xsection import tol


@pytest.fixture(autouse=True)
def strict_mode():
    saved = tol.strict
    tol.strict = True
    yield
    tol.strict = saved
