"""One demo account per role, created through the same services as the UI."""

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from yutong.core import roles, services, twofactor
from yutong.core.models import Organisation, OrgUnit, User

DEMO_PASSWORD = "Yutong-demo-2026"
# The demo accounts that must sign in with a one-time code (administrator, auditor) are enrolled
# with this published secret, so that anyone trying the demo can add it to an authenticator app
# (or run `yutong democode USERNAME`). A real installation enrols each account on first sign-in.
DEMO_TOTP_SECRET = "YUTONGDEMOSECRETKEYFORADMINAUDIT"
DEMO_TOTP_KEY = base64.b32decode(DEMO_TOTP_SECRET).hex()


def enrol_demo_authenticator(user: User) -> None:
    if twofactor.required(user) and not twofactor.enrolled(user):
        TOTPDevice.objects.create(
            user=user, name=twofactor.TOTP_NAME, key=DEMO_TOTP_KEY, confirmed=True
        )


# username, display name, role, unit code, organisation kind, organisation name
ACCOUNTS = [
    (
        "admin",
        "市局管理员",
        roles.CITY_ADMIN,
        "500000",
        "hrss_bureau",
        "重庆市人力资源和社会保障局",
    ),
    ("auditor", "审计员", roles.AUDITOR, "500000", "hrss_bureau", "重庆市人力资源和社会保障局"),
    (
        "yuzhong",
        "渝中区业务员",
        roles.DISTRICT_STAFF,
        "500103",
        "hrss_bureau",
        "渝中区人力资源和社会保障局",
    ),
    (
        "liangjiang",
        "两江新区业务员",
        roles.DISTRICT_STAFF,
        "500157",
        "hrss_bureau",
        "两江新区社会保障局",
    ),
    ("mediator", "调解员", roles.MEDIATOR, "500103", "hrss_bureau", "渝中区人力资源和社会保障局"),
    (
        "arbitrator",
        "仲裁员",
        roles.ARBITRATOR,
        "500103",
        "hrss_bureau",
        "渝中区人力资源和社会保障局",
    ),
    ("inspector", "监察员", roles.INSPECTOR, "500103", "hrss_bureau", "渝中区人力资源和社会保障局"),
    ("union", "工会干部", roles.UNION_OFFICER, "500103", "trade_union", "渝中区总工会"),
]


def _first_township(district_code: str) -> OrgUnit | None:
    return (
        OrgUnit.objects.filter(parent__code=district_code, level=OrgUnit.Level.TOWNSHIP)
        .order_by("code")
        .first()
    )


def create_accounts(enterprise_uscc: str, enterprise_name: str) -> list[tuple[str, str, str]]:
    """Create the accounts that do not exist yet; returns (username, role, unit) for each."""
    system = services.system_actor()
    units = {
        unit.code: unit
        for unit in OrgUnit.objects.filter(code__in={row[3] for row in ACCOUNTS} | {"500103"})
    }
    rows = [(*row,) for row in ACCOUNTS]
    township = _first_township("500103")
    if township is not None:
        # a street's labour-security office: it sees and acts on its street's records only
        units[township.code] = township
        rows.append(
            (
                "township",
                f"{township.name}劳动保障所",
                roles.DISTRICT_STAFF,
                township.code,
                "hrss_bureau",
                f"{township.name}劳动就业和社会保障服务所",
            )
        )
    rows.append(
        (
            "enterprise",
            "企业用户",
            roles.ENTERPRISE_USER,
            "500103",
            Organisation.Kind.ENTERPRISE,
            enterprise_name,
        )
    )
    listed = []
    for username, display, role, unit_code, kind, org_name in rows:
        unit = units[unit_code]
        if not User.objects.filter(username=username).exists():
            organisation = services.ensure_organisation(
                system,
                kind=kind,
                unit=unit,
                name=org_name,
                uscc=enterprise_uscc if kind == Organisation.Kind.ENTERPRISE else "",
            )
            services.create_user(
                system,
                username=username,
                password=DEMO_PASSWORD,
                unit=unit,
                role_codes=[role],
                organisation=organisation,
                display_name=display,
            )
        enrol_demo_authenticator(User.objects.get(username=username))
        listed.append((username, roles.ROLE_NAMES[role], unit.name))
    return listed
