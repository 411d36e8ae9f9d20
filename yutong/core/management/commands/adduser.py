"""yutong adduser USERNAME --password P --role ROLE --unit CODE [--enterprise USCC]"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yutong.core import roles, services
from yutong.core.models import Organisation, OrgUnit


class Command(BaseCommand):
    help = "Create a user account with one or more roles at a unit (runs as the system)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            choices=roles.ALL_ROLES,
            help="role code; repeat for several roles",
        )
        parser.add_argument("--unit", required=True, help="org unit code, e.g. 500103")
        parser.add_argument(
            "--enterprise", help="USCC of the enterprise an enterprise_user acts for"
        )
        parser.add_argument("--name", default="", help="display name")

    @transaction.atomic
    def handle(self, *args, **options):
        unit = OrgUnit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"unknown unit code {options['unit']}")
        system = services.system_actor()
        organisation = None
        if options["enterprise"]:
            organisation = services.ensure_organisation(
                system,
                kind=Organisation.Kind.ENTERPRISE,
                unit=unit,
                name=f"企业 {options['enterprise']}",
                uscc=options["enterprise"].upper(),
            )
        try:
            user = services.create_user(
                system,
                username=options["username"],
                password=options["password"],
                unit=unit,
                role_codes=options["role"],
                organisation=organisation,
                display_name=options["name"],
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
                if hasattr(exc, "error_dict")
                else "; ".join(exc.messages)
            ) from exc
        self.stdout.write(f"created {user.username} ({', '.join(options['role'])}) at {unit.name}")
