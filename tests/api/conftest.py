"""The schemathesis run's figures, printed after the tests: the lead records them per release."""

from __future__ import annotations

from tests.api.figures import FIGURES


def pytest_terminal_summary(terminalreporter):
    if not FIGURES["examples"]:
        return
    write = terminalreporter.write_line
    write(
        f"schemathesis: {len(FIGURES['operations'])} operations, "
        f"{FIGURES['examples']} examples (both users)"
    )
    for kind, per_operation in sorted(FIGURES["failures"].items()):
        write(
            f"  {kind}: {sum(per_operation.values())} examples on {len(per_operation)} operations"
        )
        for operation, count in per_operation.most_common():
            write(f"    {count:4d}  {operation}")
