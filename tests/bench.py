"""Helpers for the work bench tests: the bench's queues of a user and the total of the list
each links to. A queue or card the page loads after itself (``later_url``) is loaded here as
the browser does, so its count is the one the user sees."""

from __future__ import annotations


def loaded(client, card: dict) -> dict:
    """The card as shown once the page has loaded it (itself when it came with the page)."""
    if not card.get("later_url"):
        return card
    response = client.get(card["later_url"], headers={"HX-Request": "true"})
    assert response.status_code == 200, card["later_url"]
    return response.context["card"]


def queues(client) -> dict[str, dict]:
    """The bench's queues (今日待办) by label."""
    response = client.get("/")
    assert response.status_code == 200
    return {q["label"]: loaded(client, q) for q in response.context["todo"]}


def cards(client) -> dict[str, dict]:
    """The bench's overview cards (概况) by label."""
    response = client.get("/")
    assert response.status_code == 200
    return {c["label"]: loaded(client, c) for c in response.context["cards"]}


def listed(client, url: str) -> int:
    """The number of rows of the list a queue links to (all pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page_obj"].paginator.count
