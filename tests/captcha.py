"""Solving the public forms' captcha as a visitor does: read the sum and the signed token
from the page just shown."""

from __future__ import annotations

import html
import re

_QUESTION = re.compile(r"验证码：(\d+) \+ (\d+) = \?")
_TOKEN = re.compile(r'name="captcha_token" value="([^"]+)"')


def solve(page) -> dict:
    """The captcha fields, answered, for the form in ``page`` (a response)."""
    text = page.content.decode()
    a, b = _QUESTION.search(text).groups()
    token = html.unescape(_TOKEN.search(text).group(1))
    return {"captcha": str(int(a) + int(b)), "captcha_token": token}


def fetch(client, url: str) -> dict:
    return solve(client.get(url))
