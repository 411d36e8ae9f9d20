"""yutong remind_deadlines — run from cron every morning (docs/operations.md).

Each handler gets one message per open case due within the warning window and one when it is
overdue (per due day: an extension that moves the day warns again).
"""

from django.core.management.base import BaseCommand

from yutong.core import inbox


class Command(BaseCommand):
    help = (
        "Send 站内信 to handlers about their cases due soon or overdue (once per case and due day)."
    )

    def handle(self, *args, **options):
        sent = inbox.remind_deadlines()
        self.stdout.write(f"deadline reminders sent: {sent}")
