"""The audit trail in Chinese: action labels, field names and values as users write them."""

from django import template

from yutong.core import audit

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    return audit.action_label(code)


@register.simple_tag
def audit_changes(entry) -> list[tuple[str, str, str]]:
    return audit.display_changes(entry)


@register.filter
def audit_object(object_type: str) -> str:
    return audit.object_label(object_type)
