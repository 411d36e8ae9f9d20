"""``{% personal record "key" %}``: a registered personal number, masked, with a button that
reveals it (audited) to a reader the app permits."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from yutong.core.personal import revealable

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, record, key: str):
    spec = revealable(key)
    value = spec.value(record) if record is not None else ""
    if not value:
        return ""
    request = context.get("request")
    user = getattr(request, "user", None)
    url = reverse("core:reveal_personal", args=[key, record.pk])
    return render_to_string(
        "core/_personal.html",
        {
            "masked": spec.mask(value),
            "label": spec.label,
            "key": key,
            "url": url if user is not None and spec.permitted(user) else "",
        },
    )
