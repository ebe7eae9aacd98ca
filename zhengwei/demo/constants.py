"""The fixed values of the 福建防汛 demo, so the simulator and any client can reach a fresh demo.

These are demo values only, published in README.md; a real installation uses its own.
"""

DEMO_PASSWORD = "Demo@2026zw"

OFFICE_NAME = "福建省防汛抗旱指挥部办公室"
OFFICE_SHORT = "省防汛办"
CONTRACTOR_NAME = "福建海峡融媒文化传播有限公司"
CONTRACTOR_SHORT = "海峡融媒"
UNIT_NAME = "闽侯县防汛抗旱指挥部办公室"
UNIT_SHORT = "闽侯县防办"

ACCOUNT_NAME = "福建防汛"
ORIGINAL_ID = "gh_f1d0a5c0de26"
APP_ID = "wxf1d0a5c0de2026a1"
APP_SECRET = "zhengweidemoappsecret0000fj2026"
TOKEN = "zhengweiDemoToken2026"
ENCODING_AES_KEY = "ZhengWeiDemoEncodingAESKeyFujianFlood202601"

# username, display name, organisation ("office" | "contractor" | "unit"), role, title
PEOPLE = [
    ("root", "平台管理员", None, None, "安装管理员"),
    ("admin", "郑系统", "office", "system_admin", "信息科 系统管理员"),
    ("leader", "林主任", "office", "office_leader", "办公室主任（终审）"),
    ("reviewer", "陈科长", "office", "office_reviewer", "宣传科科长（初审/复审）"),
    ("dutylead", "黄带班", "office", "duty_leader", "带班领导"),
    ("duty", "王值班", "office", "duty_officer", "值班员"),
    ("buyer", "吴采购", "office", "procurement_officer", "财务科 采购专员"),
    ("auditor", "刘审计", "office", "auditor", "纪检审计"),
    ("security", "许安全", "office", "security_admin", "信息科 安全管理员"),
    ("pm", "张经理", "contractor", "project_manager", "项目经理"),
    ("editor", "李编辑", "contractor", "editor", "编辑"),
    ("writer", "赵记者", "contractor", "writer", "记者"),
    ("operator", "孙运营", "contractor", "operator", "运营"),
    ("county", "周县值班", "unit", "unit_officer", "闽侯县防办值班员"),
]

# The demo people's own WeChat on the demo account (the simulator has a phone for each), bound for
# phone previews (预览) of drafts: username → (openid, the simulator's name for the phone).
PREVIEW_PHONES = {
    "reviewer": ("oFjFx0ChenKeZhang0Staff00R01", "陈科长的微信"),
    "leader": ("oFjFx0LinZhuRen000Staff00L02", "林主任的微信"),
    "editor": ("oFjFx0LiBianJi0000Staff00E03", "李编辑的微信"),
    "writer": ("oFjFx0ZhaoJiZhe000Staff00W04", "赵记者的微信"),
}
