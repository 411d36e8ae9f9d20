"""yutong recompute_wage_codes: recompute every project's wage code (run daily: a month
passing or a time limit running out changes colours without any record changing)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from yutong.wages import facts


class Command(BaseCommand):
    help = "Recompute the stored wage code (渝薪码) of every construction project."

    def add_arguments(self, parser):
        parser.add_argument(
            "--background", action="store_true", help="enqueue for the background worker"
        )

    def handle(self, *args, background=False, **options):
        if background:
            from yutong.wages.services import recompute_all_task

            recompute_all_task.enqueue()
            self.stdout.write("queued")
            return
        with transaction.atomic():
            count = facts.recompute()
        self.stdout.write(self.style.SUCCESS(f"{count} wage codes recomputed"))
