"""Counts of the schemathesis run, shared by the test module and the summary hook."""

from __future__ import annotations

from collections import Counter, defaultdict

FIGURES: dict = {"examples": 0, "operations": set(), "failures": defaultdict(Counter)}


def record_example(operation: str) -> None:
    FIGURES["examples"] += 1
    FIGURES["operations"].add(operation)


def record_failure(kind: str, operation: str) -> None:
    FIGURES["failures"][kind][operation] += 1
