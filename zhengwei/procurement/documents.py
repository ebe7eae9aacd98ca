"""The main artefacts as documents, in Chinese and laid out as government documents are
(GB/T 9704 margins, 小标宋-style title, 仿宋-style body, centred page numbers): 采购需求, 比价/评审表,
政府购买服务合同 and 履约验收书. One structure (``Doc``) renders to PDF (WeasyPrint, Noto CJK
fonts) and to .docx (python-docx)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string

from zhengwei.lib import indicators
from zhengwei.procurement.models import Acceptance, Method, Purchase, Step
from zhengwei.procurement.money import daxie, yuan
from zhengwei.procurement.services.common import artefact

KINDS: dict[str, tuple[str, str]] = {
    "requirements": (Step.REQUIREMENTS, "采购需求"),
    "evaluation": (Step.EVALUATION, "比价/评审表"),
    "contract": (Step.CONTRACT, "政府购买服务合同"),
    "acceptance": (Step.ACCEPTANCE, "履约验收书"),
}
# What the contractor may download: its own contract and the acceptance of its work.
CONTRACTOR_KINDS = {"contract", "acceptance"}


class NotAvailable(Exception):
    pass


@dataclass
class Block:
    kind: str  # "h" heading, "p" paragraph, "table", "sign" signature lines
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Doc:
    title: str
    subtitle: str
    filename: str
    blocks: list[Block] = field(default_factory=list)

    def h(self, text):
        self.blocks.append(Block("h", text))

    def p(self, text):
        self.blocks.append(Block("p", text))

    def table(self, header, rows):
        self.blocks.append(Block("table", header=header, rows=[[str(c) for c in r] for r in rows]))

    def sign(self, *lines):
        self.blocks.append(Block("sign", rows=[[line] for line in lines]))

    def text(self) -> str:
        parts = [self.title, self.subtitle]
        for b in self.blocks:
            parts.append(b.text)
            parts.extend(" ".join(r) for r in ([b.header] if b.header else []) + b.rows)
        return "\n".join(p for p in parts if p)


def available(purchase: Purchase) -> list[dict]:
    done = {a.step for a in purchase.artefacts.all()}
    out = []
    for kind, (step, label) in KINDS.items():
        if step not in done:
            continue
        if kind == "acceptance":
            contract = getattr(purchase, "contract", None)
            for acc in contract.acceptances.all() if contract else []:
                out.append(
                    {"kind": kind, "label": f"{label}（{acc.period_label}）", "acceptance": acc.pk}
                )
        else:
            out.append({"kind": kind, "label": label, "acceptance": None})
    return out


def _money(amount) -> str:
    amount = Decimal(str(amount))
    return f"{yuan(amount)}（大写：人民币{daxie(amount)}）"


def _buyer(purchase: Purchase) -> str:
    return purchase.account.office.name


def build(purchase: Purchase, kind: str, *, acceptance=None) -> Doc:
    if kind not in KINDS:
        raise NotAvailable(kind)
    step, label = KINDS[kind]
    art = artefact(purchase, step)
    if art is None:
        raise NotAvailable(kind)
    return {
        "requirements": _requirements,
        "evaluation": _evaluation,
        "contract": _contract,
        "acceptance": _acceptance,
    }[kind](purchase, art, acceptance)


def _requirements(purchase, art, _acc) -> Doc:
    d = art.data
    budget = artefact(purchase, Step.BUDGET).data
    doc = Doc("采购需求", f"{purchase.title}（{purchase.ocid}）", f"采购需求-{purchase.ocid}")
    doc.h("一、项目概况")
    doc.p(
        f"采购人：{_buyer(purchase)}。预算项目：{budget['budget_line']}，批复金额{_money(budget['amount'])}。"
    )
    doc.p(
        f"预计总金额（整个服务期限）：{_money(d['estimated_total'])}；服务期限：{d['term_months']}个月。"
    )
    if d.get("long_term_conditions"):
        doc.p(f"服务期限超过1年的条件：{d['long_term_conditions']}")
    doc.h("二、服务内容与数量")
    doc.p(d["deliverables"])
    doc.p(
        f"每周推送不少于{d['pushes_per_week']}次；原创比例不低于{d['original_ratio']}%；应急响应发布不超过{d['response_minutes']}分钟。"
    )
    doc.h("三、团队与资质")
    doc.p(d.get("team") or "—")
    if d.get("licences"):
        from zhengwei.procurement.models import EvidenceKind

        doc.p("供应商须具备：" + "、".join(str(EvidenceKind(k).label) for k in d["licences"]))
    doc.h("四、保密、数据与账号移交")
    doc.p(f"保密：{d.get('confidentiality') or '—'}")
    doc.p(f"数据与账号移交：{d.get('handover') or '—'}")
    doc.p("内容的终审和发布决定权保留在采购人（委托方）。")
    doc.h("五、绩效目标与付款")
    doc.table(
        ["指标", "目标", "来源"],
        [
            [t["label"], f"{t['target']}{t.get('unit', '')}", indicators.get(t["indicator"]).source]
            for t in budget.get("targets", [])
        ],
    )
    doc.p(f"KPI与付款挂钩：{d.get('kpi_payment') or '按月验收，按服务水平表扣减。'}")
    doc.p(
        f"评审：综合评分法，服务质量{100 - int(d['price_weight'])}分、价格{d['price_weight']}分。"
    )
    routing = artefact(purchase, Step.ROUTING)
    if routing:
        doc.h("六、采购方式")
        doc.p(f"{Method(routing.data['method']).label}。依据：{routing.data['basis']}")
    doc.sign(f"采购人：{_buyer(purchase)}（盖章）", f"日期：{art.completed_on:%Y年%m月%d日}")
    return doc


def _evaluation(purchase, art, _acc) -> Doc:
    d = art.data
    doc = Doc("比价/评审表", f"{purchase.title}（{purchase.ocid}）", f"评审表-{purchase.ocid}")
    doc.p(
        f"采购方式：{Method(purchase.method).label}。采购文件发出：{d['issued_on']}；响应截止：{d['deadline']}。"
        f"价格分值{d['price_weight']}分，服务质量分值{100 - d['price_weight']}分。"
    )
    doc.h("一、评审小组及回避声明")
    doc.table(
        ["成员", "声明"],
        [
            [
                m["name"],
                ("与各供应商无利害关系" if m["no_conflict"] else f"回避：{m['declaration']}"),
            ]
            for m in d["panel"]
        ],
    )
    doc.h("二、评审结果")
    doc.table(
        ["排名", "供应商", "报价（元）", "质量分", "价格分", "总分"],
        [
            [
                r["rank"],
                r["supplier"],
                f"{Decimal(r['amount']):,.2f}",
                r["quality"],
                r["price"],
                r["total"],
            ]
            for r in d["ranking"]
        ],
    )
    doc.h("三、各评审成员评分")
    doc.table(
        ["供应商", "评审成员", "质量分", "价格分", "合计"],
        [
            [r["supplier"], s["evaluator"], s["quality"], s["price"], s["total"]]
            for r in d["ranking"]
            for s in r["scores"]
        ],
    )
    doc.h("四、集体决策纪要")
    doc.p(d["minutes"])
    doc.sign("评审小组成员签字：", f"日期：{art.completed_on:%Y年%m月%d日}")
    return doc


def _contract(purchase, art, _acc) -> Doc:
    contract = purchase.contract
    req = artefact(purchase, Step.REQUIREMENTS).data
    doc = Doc("政府购买服务合同", f"合同编号：{contract.number}", f"合同-{contract.number}")
    doc.p(f"甲方（购买主体）：{_buyer(purchase)}")
    doc.p(
        f"乙方（承接主体）：{contract.supplier.name}（统一社会信用代码 {contract.supplier.credit_code}）"
    )
    doc.p(
        f"项目名称：{purchase.title}；采购方式：{Method(purchase.method).label}；OCDS编号：{purchase.ocid}。"
    )
    doc.h("第一条 服务内容")
    doc.p(req["deliverables"])
    doc.h("第二条 服务期限")
    doc.p(f"自{contract.start:%Y年%m月%d日}起至{contract.end:%Y年%m月%d日}止。")
    if contract.long_term_conditions:
        doc.p(f"超过1年的条件：{contract.long_term_conditions}")
    doc.h("第三条 合同金额")
    doc.p(f"合同总金额{_money(contract.value)}。")
    doc.h("第四条 服务水平与付款扣减")
    doc.table(
        ["指标", "目标", "分值", "未达标扣减", "扣减规则"],
        [
            [
                lv.spec.label,
                f"{lv.target}{lv.spec.unit}",
                lv.points,
                f"{lv.deduction_percent}%",
                lv.deduction_rule or "—",
            ]
            for lv in contract.service_levels.order_by("position")
        ],
    )
    doc.p(
        "出现单项否决事项（长期未更新、无有效互动功能、严重表述错误、泄密或个人信息泄露、违规内容或外链、功能不可用）视为重大违约，甲方有权解除合同。"
    )
    doc.h("第五条 付款")
    doc.p("按期履约验收合格后，按验收书核定的金额（当期服务费扣除未达标扣减）支付。")
    doc.h("第六条 双方义务")
    doc.p(
        "内容的终审和发布决定权属于甲方。乙方不得转包；乙方人员接触的公民个人信息不得留存、不得对外提供。"
    )
    doc.p(f"保密：{req.get('confidentiality') or '乙方签订保密协议。'}")
    doc.p(f"数据与账号移交：{req.get('handover') or '合同终止时乙方移交账号、素材及全部数据。'}")
    doc.h("第七条 合同变更")
    doc.p("任何一方不得擅自变更、中止或者终止合同。补充合同的金额累计不得超过本合同金额的10%。")
    doc.h("第八条 合同公告与备案")
    doc.p("甲方自合同签订之日起2个工作日内公告合同，7个工作日内报同级财政部门备案。")
    doc.sign(
        f"甲方：{_buyer(purchase)}（盖章）    乙方：{contract.supplier.name}（盖章）",
        f"签订日期：{contract.signed_on:%Y年%m月%d日}",
    )
    return doc


def _acceptance(purchase, art, acceptance_id) -> Doc:
    contract = purchase.contract
    qs = Acceptance.objects.filter(contract=contract)
    acc = (
        qs.filter(pk=acceptance_id).first() if acceptance_id else qs.order_by("accepted_on").first()
    )
    if acc is None:
        raise NotAvailable("acceptance")
    doc = Doc(
        "履约验收书", f"{purchase.title} · {acc.period_label}", f"验收书-{contract.number}-{acc.pk}"
    )
    doc.p(
        f"合同编号：{contract.number}；乙方：{contract.supplier.name}；验收日期：{acc.accepted_on:%Y年%m月%d日}。"
    )
    doc.p("验收小组：" + "、".join(str(m) for m in acc.members.all()))
    doc.table(
        ["指标", "合同目标", "实测", "是否达标", "扣减"],
        [
            [
                i["label"] + ("（单项否决）" if i.get("veto") else ""),
                f"{i['target']}{i.get('unit', '')}",
                f"{i['measured']}{i.get('unit', '')}" if i["measured"] is not None else "未测",
                "达标" if i["met"] else "未达标",
                "—" if i["met"] else f"{i['deduction_percent']}%",
            ]
            for i in acc.items
        ],
    )
    payable = acc.period_fee - acc.deduction
    doc.p(
        f"当期服务费：{_money(acc.period_fee)}；扣减：{_money(acc.deduction)}；应付：{_money(payable)}。"
    )
    doc.p(f"验收结论：{'合格' if acc.passed else '不合格（出现单项否决事项）'}。{acc.conclusion}")
    doc.sign("验收小组成员签字：", "乙方确认：")
    return doc


def render_pdf(doc: Doc) -> bytes:
    # Imported here: WeasyPrint loads Pango, which only document downloads need.
    from weasyprint import HTML

    html = render_to_string("procurement/document.html", {"doc": doc})
    return HTML(string=html).write_pdf()


def render_docx(doc: Doc) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    d = Document()
    section = d.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = d.styles["Normal"]
    normal.font.name = "FangSong"
    normal.font.size = Pt(16)  # 三号
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")

    def para(text, *, size=16, bold=False, align=None, font=None):
        p = d.add_paragraph()
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if font:
            run.font.name = font
            run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
        if align is not None:
            p.alignment = align
        return p

    para(doc.title, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, font="方正小标宋简体")
    para(doc.subtitle, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    for b in doc.blocks:
        if b.kind == "h":
            para(b.text, bold=True, font="黑体")
        elif b.kind == "p":
            p = para(b.text)
            p.paragraph_format.first_line_indent = Pt(32)
        elif b.kind == "table":
            table = d.add_table(rows=1, cols=len(b.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, b.header, strict=True):
                cell.text = text
            for row in b.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
        elif b.kind == "sign":
            for (line,) in b.rows:
                para(line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
