"""站内信: messages to people, written inside the caller's transaction, then handed to the
outgoing channels once it commits.

Services call ``send`` (or ``send_to_company``) where the change that causes the message is
made; ``remind_deadlines`` is the scheduled job. A view never creates a message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from . import clocks
from .models import Message, Organisation, User

logger = logging.getLogger(__name__)

Kind = Message.Kind


def send(
    recipients: Iterable[User | int | None],
    kind: str,
    title: str,
    *,
    url: str = "",
    body: str = "",
    sender=None,
    key: str = "",
) -> list[Message]:
    """Write one message per recipient (None and the sender themself are skipped: nobody is
    told about their own action)."""
    sender_id = getattr(sender, "pk", None)
    ids = {getattr(r, "pk", r) for r in recipients if r is not None}
    ids.discard(sender_id)
    ids.discard(None)
    if not ids:
        return []
    rows = [
        Message(
            recipient_id=pk,
            kind=kind,
            title=title[:200],
            body=body,
            url=url[:300],
            sender_id=sender_id,
            key=key[:120],
        )
        for pk in sorted(ids)
    ]
    return _insert(rows)


def _insert(rows: list[Message]) -> list[Message]:
    """Write the rows, leaving out keyed reminders that were sent before; deliver after the
    commit."""
    keyed = [r for r in rows if r.key]
    if keyed:
        sent = set(
            Message.objects.filter(
                recipient_id__in={r.recipient_id for r in keyed},
                key__in={r.key for r in keyed},
            ).values_list("recipient_id", "key")
        )
        rows = [r for r in rows if not r.key or (r.recipient_id, r.key) not in sent]
    created = Message.objects.bulk_create(rows, batch_size=1000)
    if created:
        transaction.on_commit(lambda: deliver(created))
    return created


def company_accounts(uscc: str):
    """The active enterprise accounts that act for the enterprise with this USCC."""
    return User.objects.filter(
        is_active=True,
        organisation__kind=Organisation.Kind.ENTERPRISE,
        organisation__uscc=uscc,
    )


def send_to_company(uscc: str, kind: str, title: str, **kwargs) -> list[Message]:
    return send(company_accounts(uscc).values_list("pk", flat=True), kind, title, **kwargs)


# --- outgoing channels -----------------------------------------------------------------------


class LoggingChannel:
    """Development and test channel: records that a message would leave, with no content (a
    title can name a party)."""

    def deliver(self, message: Message) -> None:
        logger.info("message %s (%s) for user %s", message.pk, message.kind, message.recipient_id)


def channels() -> list:
    return [import_string(path)() for path in settings.YUTONG_MESSAGE_CHANNELS]


def deliver(messages: Iterable[Message]) -> None:
    """Hand committed messages to every configured channel. A gateway that fails is logged and
    does not undo the message: it stays in the inbox."""
    for channel in channels():
        for message in messages:
            try:
                channel.deliver(message)
            except Exception:  # noqa: BLE001 - one failing gateway must not stop the others
                logger.exception(
                    "channel %s failed for message %s", type(channel).__name__, message.pk
                )


# --- reading ---------------------------------------------------------------------------------


def inbox_of(user):
    return Message.objects.filter(recipient=user)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


# --- the deadline job ------------------------------------------------------------------------

DUE_SOON_DAYS = 5


def _case_models():
    from .cases import CaseBase

    return [m for m in apps.get_models() if issubclass(m, CaseBase)]


def _case_url(model, pk: int) -> str:
    provider = getattr(apps.get_app_config(model._meta.app_label), "case_url", None)
    return provider(model, pk) if provider else ""


def remind_deadlines(today: date | None = None) -> int:
    """Tell each handler about their open cases due within the warning window, and about
    those overdue, once per case and due day. Reads only the cases in the window (indexed
    by ``due_on``), never whole tables."""
    today = today or timezone.localdate()
    calendar_end = today + timedelta(DUE_SOON_DAYS)
    working_end = clocks.add_working_days(today, DUE_SOON_DAYS)
    sent = 0
    for model in _case_models():
        label = model._meta.label_lower
        noun = model._meta.verbose_name
        due = (
            model.objects.filter(ended_on__isnull=True, assigned_to__isnull=False)
            .filter(
                Q(due_on__lt=today)
                | Q(clock_unit=clocks.WORKING, due_on__gte=today, due_on__lte=working_end)
                | (~Q(clock_unit=clocks.WORKING) & Q(due_on__gte=today, due_on__lte=calendar_end))
            )
            .values_list("pk", "assigned_to_id", "due_on")
        )
        rows = []
        for pk, handler, due_on in due.iterator(chunk_size=2000):
            overdue = due_on < today
            rows.append(
                Message(
                    recipient_id=handler,
                    kind=Kind.OVERDUE if overdue else Kind.DEADLINE,
                    title=(
                        f"{noun}已超过办理期限（{due_on:%Y-%m-%d}）"
                        if overdue
                        else f"{noun}将于 {due_on:%Y-%m-%d} 到期"
                    ),
                    url=_case_url(model, pk),
                    key=f"{'overdue' if overdue else 'due'}:{label}:{pk}:{due_on:%Y%m%d}",
                )
            )
        for start in range(0, len(rows), 500):
            with transaction.atomic():
                sent += len(_insert(rows[start : start + 500]))
    return sent
