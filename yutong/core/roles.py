"""The fixed role codes (a contract: API, `yutong adduser`, tests) and what each may do."""

CITY_ADMIN = "city_admin"
DISTRICT_STAFF = "district_staff"
MEDIATOR = "mediator"
ARBITRATOR = "arbitrator"
INSPECTOR = "inspector"
UNION_OFFICER = "union_officer"
ENTERPRISE_USER = "enterprise_user"
AUDITOR = "auditor"

ROLE_NAMES = {
    CITY_ADMIN: "系统管理员",
    DISTRICT_STAFF: "人社业务人员",
    MEDIATOR: "调解员",
    ARBITRATOR: "仲裁员",
    INSPECTOR: "劳动保障监察员",
    UNION_OFFICER: "工会干部",
    ENTERPRISE_USER: "企业用户",
    AUDITOR: "审计员",
}
ALL_ROLES = tuple(ROLE_NAMES)

# Staff roles read the registry of their unit's subtree.
STAFF_ROLES = (CITY_ADMIN, DISTRICT_STAFF, MEDIATOR, ARBITRATOR, INSPECTOR, UNION_OFFICER, AUDITOR)
# Roles that may register and edit enterprises and import them.
REGISTRY_EDITORS = (CITY_ADMIN, DISTRICT_STAFF)
# Roles that manage user accounts (within their own unit's subtree).
USER_ADMINS = (CITY_ADMIN,)
# Roles that read the audit trail and the login log.
AUDIT_READERS = (CITY_ADMIN, AUDITOR)
# Roles that handle labour-inspection complaints and cases (issue #4).
INSPECTION_STAFF = (CITY_ADMIN, DISTRICT_STAFF, INSPECTOR)
# Roles that register construction projects and keep their wage safeguards (issue #4).
PROJECT_EDITORS = (CITY_ADMIN, DISTRICT_STAFF, INSPECTOR)
