"""yutong clean_uploads — run from cron every few minutes (docs/operations.md).

Uploaded sheets hold phone numbers and resident IDs in the clear: none may outlive its job.
"""

from django.core.management.base import BaseCommand

from yutong.core import imports, uploads


class Command(BaseCommand):
    help = (
        "Take back stuck background imports, end interrupted ones nobody retried, delete the "
        "sheets of ended imports and every uploaded file no record names."
    )

    def handle(self, *args, **options):
        found = imports.sweep()
        orphans = uploads.delete_orphans()
        self.stdout.write(
            f"imports taken back: {found['reclaimed']}, interrupted ended: {found['abandoned']}, "
            f"sheets deleted: {found['sheets']}, files without a record deleted: {orphans}"
        )
