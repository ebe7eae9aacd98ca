"""Who may do what with flood information (registered in the one policy; imported from ready()).

The data is public-interest measurement, not personal data: every role may read it, and citizens
read the live pages without signing in. Importing changes what every account shows, so it is
kept to the duty desk, the system administrator and the contractor's operators who run the data.
Briefings are drafted by whoever writes for the account and reviewed in the newsroom.
"""

from __future__ import annotations

from zhengwei.access.policy import DUTY_ROLES, EVERY_ROLE, register
from zhengwei.orgs.models import Role

HYDRO_VIEW = "hydro.view"
HYDRO_IMPORT = "hydro.import"
HYDRO_BRIEFING = "hydro.briefing.write"

register(HYDRO_VIEW, EVERY_ROLE)
register(HYDRO_IMPORT, DUTY_ROLES | {Role.SYSTEM_ADMIN, Role.OPERATOR})
register(
    HYDRO_BRIEFING,
    DUTY_ROLES | {Role.OFFICE_LEADER, Role.EDITOR, Role.WRITER, Role.OPERATOR},
)
