"""Print the current one-time code of a demo account enrolled with the published demo secret."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from yutong.demo.accounts import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Current one-time code of a demo account (only accounts with the demo secret)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        # Only the published demo secret: this must never read a real account's authenticator.
        device = TOTPDevice.objects.filter(
            user__username=username, confirmed=True, key=DEMO_TOTP_KEY
        ).first()
        if device is None:
            raise CommandError(f"{username} has no demo authenticator")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
