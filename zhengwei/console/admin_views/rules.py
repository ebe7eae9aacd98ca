from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from zhengwei.access.policy import Action, require
from zhengwei.orgs import selectors
from zhengwei.orgs.models import OperationModel, OrgKind, Role
from zhengwei.orgs.roles import DEFAULT_RULES

# Column headings: the full kind names would make nine columns too wide for a laptop.
SHORT_KINDS = {
    OrgKind.OFFICE: _("Office"),
    OrgKind.CONTRACTOR: _("Contractor"),
    OrgKind.UNIT: _("Unit"),
}


@login_required
def role_rules(request):
    """Read-only: which kind of organisation may hold which role under each operation model."""
    require(request.user, Action.PEOPLE_VIEW)
    rules = selectors.role_rule_set()
    defaults = {
        (str(model), str(role), str(kind))
        for model, kinds in DEFAULT_RULES.items()
        for kind, roles in kinds.items()
        for role in roles
    }
    rows = []
    for role in Role:
        cells = []
        for model in OperationModel:
            for kind in OrgKind:
                key = (model.value, role.value, kind.value)
                cells.append(
                    {"allowed": key in rules, "changed": (key in rules) != (key in defaults)}
                )
        rows.append({"role": role.label, "cells": cells})
    return render(
        request,
        "console/role_rules.html",
        {
            "rows": rows,
            "models": OperationModel.choices,
            "kinds": [(kind.label, SHORT_KINDS[kind]) for kind in OrgKind],
        },
    )
