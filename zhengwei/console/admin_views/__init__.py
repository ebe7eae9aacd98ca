"""The console's management pages: organisations, WeChat accounts, people, rosters, role rules.

Views stay thin: read through ``zhengwei.orgs.selectors``, change through
``zhengwei.orgs.services`` (which check the policy and audit), and ask ``zhengwei.access.policy``
only to decide what to show.
"""
