"""Helpers for the work bench tests: the bench's queues of a user and the total of the list
each links to."""

from __future__ import annotations


def queues(client) -> dict[str, dict]:
    """The bench's queues (今日待办) by label."""
    response = client.get("/")
    assert response.status_code == 200
    return {q["label"]: q for q in response.context["todo"]}


def listed(client, url: str) -> int:
    """The number of rows of the list a queue links to (all pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page_obj"].paginator.count
