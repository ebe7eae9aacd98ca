"""Default role rules per operation model (seeded into RoleRule; administrators may edit them)."""

from __future__ import annotations

from zhengwei.orgs.models import OperationModel, OrgKind, Role

# The roles only the office's own people hold (never a contractor's or a unit's): the one
# definition, which the policy and the default rules below share.
OFFICE_ROLES = frozenset(
    {
        Role.OFFICE_LEADER,
        Role.OFFICE_REVIEWER,
        Role.DUTY_LEADER,
        Role.DUTY_OFFICER,
        Role.PROCUREMENT_OFFICER,
        Role.AUDITOR,
        Role.SYSTEM_ADMIN,
        Role.SECURITY_ADMIN,
    }
)
# 三员分立: the system, security and audit administrators. No person holds two of them, on any
# account (orgs.services.role_grant refuses; GB/T 22239-2019 §8.1.5, "专职安全管理员，不可兼任").
SEPARATED_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
# The people on the duty desk (值班员 and 带班领导).
DUTY_ROLES = frozenset({Role.DUTY_OFFICER, Role.DUTY_LEADER})

_OFFICE_ONLY = [role for role in Role if role in OFFICE_ROLES]
_PRODUCTION = [Role.PROJECT_MANAGER, Role.EDITOR, Role.WRITER, Role.OPERATOR]

DEFAULT_RULES: dict[str, dict[str, list[str]]] = {
    # The office does everything itself.
    OperationModel.INDEPENDENT: {
        OrgKind.OFFICE: _OFFICE_ONLY + _PRODUCTION,
        OrgKind.UNIT: [Role.UNIT_OFFICER],
    },
    # The thesis's case: the contractor produces and operates, the office reviews and handles.
    OperationModel.DELEGATED: {
        OrgKind.OFFICE: _OFFICE_ONLY,
        OrgKind.CONTRACTOR: _PRODUCTION,
        OrgKind.UNIT: [Role.UNIT_OFFICER],
    },
    # Both sides produce; the contractor's manager runs its team.
    OperationModel.COLLABORATIVE: {
        OrgKind.OFFICE: _OFFICE_ONLY + [Role.EDITOR, Role.WRITER, Role.OPERATOR],
        OrgKind.CONTRACTOR: _PRODUCTION,
        OrgKind.UNIT: [Role.UNIT_OFFICER],
    },
}


def default_rule_rows() -> list[tuple[str, str, str]]:
    return [
        (str(model), str(role), str(kind))
        for model, kinds in DEFAULT_RULES.items()
        for kind, roles in kinds.items()
        for role in roles
    ]
