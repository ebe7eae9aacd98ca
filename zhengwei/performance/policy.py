"""Who may see and act on performance figures (registered in the one policy; imported from
ready()).

Nothing here carries citizens' personal data: indicators are counts and times. The office
measures, reviews and signs; the contractor sees its own figures and scorecards and answers
disputes; the auditor reads everything.
"""

from __future__ import annotations

from zhengwei.access.policy import register
from zhengwei.orgs.models import Role

PERFORMANCE_VIEW = "performance.view"
SCORECARD_COMPUTE = "performance.scorecard.compute"
SCORECARD_REVIEW = "performance.scorecard.review"
SCORECARD_RESPOND = "performance.scorecard.respond"
SCORECARD_SIGN = "performance.scorecard.sign"
INCIDENT_RECORD = "performance.incident.record"

OFFICE_SUPERVISORS = {Role.OFFICE_LEADER, Role.OFFICE_REVIEWER, Role.PROCUREMENT_OFFICER}

register(
    PERFORMANCE_VIEW,
    OFFICE_SUPERVISORS | {Role.AUDITOR, Role.SYSTEM_ADMIN, Role.DUTY_LEADER, Role.PROJECT_MANAGER},
)
register(SCORECARD_COMPUTE, OFFICE_SUPERVISORS)
register(SCORECARD_REVIEW, OFFICE_SUPERVISORS)
register(SCORECARD_RESPOND, {Role.PROJECT_MANAGER})
register(SCORECARD_SIGN, {Role.OFFICE_LEADER})
register(INCIDENT_RECORD, {Role.OFFICE_LEADER, Role.OFFICE_REVIEWER})
