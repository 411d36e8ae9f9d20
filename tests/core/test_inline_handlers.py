"""The Content-Security-Policy allows no inline script: templates carry no inline handlers."""

import pathlib
import re

import yutong

ROOT = pathlib.Path(yutong.__file__).resolve().parent
# onchange="…", onclick='…', hx-on:click / hx-on="…" (htmx evaluates those as inline script too)
INLINE = re.compile(r"""\s(on[a-z]+|hx-on[:\w-]*)\s*=\s*["']""", re.IGNORECASE)


def test_no_template_has_an_inline_handler():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE.search(line) or "javascript:" in line
    ]
    assert found == []


def test_the_year_selector_submits_through_the_static_script():
    page = (ROOT / "relations/templates/relations/wage_bargaining.html").read_text(encoding="utf-8")
    assert "data-autosubmit" in page
    script = (ROOT / "core/static/core/app.js").read_text(encoding="utf-8")
    assert "form[data-autosubmit]" in script
