"""Console forms of the WeChat API pages: the custom-menu editor and the filters."""

from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengwei.wechat.outbound import limits
from zhengwei.wechat.outbound.validation import MenuProblem

# The button types the editor offers, and which field carries each one's value.
BUTTON_TYPES = [
    ("click", _("Click (sends a key to the platform)")),
    ("view", _("Open a web page")),
    ("location_select", _("Send location")),
    ("pic_photo_or_album", _("Take a photo or choose from the album")),
    ("pic_sysphoto", _("Take a photo")),
    ("scancode_push", _("Scan a QR code")),
    ("article_id", _("Open a published article")),
]
VALUE_FIELD = {"view": "url", "article_id": "article_id"}  # every other type: key
SUB_MENU = ""  # a top-level button without a type opens its sub-buttons
MAX_SLOTS = 10  # posted positions read beyond the limits, so that too many is explained


def value_field(kind: str) -> str:
    return VALUE_FIELD.get(kind, "key")


class MenuForm(forms.Form):
    """Top-level buttons ``b<i>_*`` and their sub-buttons ``b<i>_<j>_*`` (1-based), each with a
    name, a type and a value (the key, URL or article_id, as the type needs).

    The form only shapes the menu; whether it is acceptable is for validation.menu_problems,
    whose messages are then attached to the fields they concern (``attach``).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        conf = limits.get("menu")
        self.top_count = max(conf["top_level_max"], self._posted(r"b(\d+)_name", 0))
        self.sub_count = max(conf["sub_button_max"], self._posted(r"b\d+_(\d+)_name", 0))
        self.top_name_bytes = conf["top_name_bytes"]
        self.sub_name_bytes = conf["sub_name_bytes"]
        for i in range(1, self.top_count + 1):
            self._add(f"b{i}", top=True)
            for j in range(1, self.sub_count + 1):
                self._add(f"b{i}_{j}", top=False)
        self.menu_errors: list[str] = []

    def _posted(self, pattern: str, default: int) -> int:
        found = [int(m.group(1)) for key in (self.data or {}) if (m := re.fullmatch(pattern, key))]
        return min(max(found, default=default), MAX_SLOTS)

    def _add(self, prefix: str, *, top: bool) -> None:
        choices = [(SUB_MENU, _("Opens the sub-buttons"))] if top else [("", "—")]
        self.fields[f"{prefix}_name"] = forms.CharField(label=_("Name"), required=False)
        self.fields[f"{prefix}_type"] = forms.ChoiceField(
            label=_("Type"), choices=choices + BUTTON_TYPES, required=False
        )
        self.fields[f"{prefix}_value"] = forms.CharField(
            label=_("Key, URL or article_id"), required=False
        )

    # --- from and to a menu ----------------------------------------------------------------
    @staticmethod
    def initial_from(menu: dict | None) -> dict[str, str]:
        initial: dict[str, str] = {}

        def put(prefix: str, button: dict) -> None:
            initial[f"{prefix}_name"] = button.get("name", "")
            kind = button.get("type", "")
            initial[f"{prefix}_type"] = kind
            initial[f"{prefix}_value"] = button.get(value_field(kind), "") or button.get("key", "")

        for i, button in enumerate((menu or {}).get("button") or [], 1):
            put(f"b{i}", button)
            if button.get("sub_button"):
                initial[f"b{i}_type"] = SUB_MENU
            for j, sub in enumerate(button.get("sub_button") or [], 1):
                put(f"b{i}_{j}", sub)
        return initial

    def menu(self) -> dict:
        """The menu/create body the form describes; empty positions are left out."""
        data = self.cleaned_data
        buttons = []
        for i in range(1, self.top_count + 1):
            subs = []
            for j in range(1, self.sub_count + 1):
                sub = self._button(f"b{i}_{j}")
                if sub is not None:
                    subs.append((j, sub))
            top = self._button(f"b{i}")
            if top is None and not subs:
                continue
            top = top or {"name": ""}
            if subs or data.get(f"b{i}_type") == SUB_MENU:
                top = {"name": top["name"], "sub_button": [s for _j, s in subs]}
            buttons.append((i, top, subs))
        # Remember where each button came from, to put messages next to the right fields.
        self._positions = [(i, [j for j, _s in subs]) for i, _t, subs in buttons]
        return {"button": [top for _i, top, _s in buttons]}

    def _button(self, prefix: str) -> dict | None:
        data = self.cleaned_data
        name = (data.get(f"{prefix}_name") or "").strip()
        kind = data.get(f"{prefix}_type") or ""
        value = (data.get(f"{prefix}_value") or "").strip()
        if not (name or value or kind):
            return None
        button = {"name": name}
        if kind:
            button["type"] = kind
            button[value_field(kind)] = value
        return button

    def attach(self, problems: list[MenuProblem]) -> None:
        """Show each problem next to its field (the menu-wide ones above the form)."""
        for problem in problems:
            field = self._field_for(problem)
            if field is None:
                self.menu_errors.append(problem.message)
            else:
                self.add_error(field, problem.message)

    def _field_for(self, problem: MenuProblem) -> str | None:
        positions = getattr(self, "_positions", [])
        if problem.top is None or problem.top > len(positions):
            return None
        i, subs = positions[problem.top - 1]
        prefix = f"b{i}"
        if problem.sub is not None:
            if problem.sub > len(subs):
                return None
            prefix = f"b{i}_{subs[problem.sub - 1]}"
        if problem.field == "name":
            return f"{prefix}_name"
        if problem.field == "type":
            return f"{prefix}_type"
        if problem.field == "sub_button":
            return f"{prefix}_name"
        return f"{prefix}_value"

    # --- for the template ------------------------------------------------------------------
    def slots(self) -> list[dict]:
        return [
            {
                "index": i,
                "name": self[f"b{i}_name"],
                "type": self[f"b{i}_type"],
                "value": self[f"b{i}_value"],
                "subs": [
                    {
                        "index": j,
                        "name": self[f"b{i}_{j}_name"],
                        "type": self[f"b{i}_{j}_type"],
                        "value": self[f"b{i}_{j}_value"],
                    }
                    for j in range(1, self.sub_count + 1)
                ],
            }
            for i in range(1, self.top_count + 1)
        ]


class ApiCallFilterForm(forms.Form):
    OUTCOMES = [("", _("All")), ("ok", _("Succeeded")), ("error", _("Failed"))]

    endpoint = forms.ChoiceField(label=_("Endpoint"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, required=False)
    errcode = forms.IntegerField(label=_("errcode"), required=False)
    since = forms.DateTimeField(
        label=pgettext_lazy("time range", "From"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    until = forms.DateTimeField(
        label=pgettext_lazy("time range", "Until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, endpoints: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["endpoint"].choices = [("", _("All"))] + [(e, e) for e in endpoints]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm"

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class StatsRangeForm(forms.Form):
    begin = forms.DateField(
        label=pgettext_lazy("time range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=pgettext_lazy("time range", "Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    MAX_DAYS = 366

    def range(self) -> tuple:
        """[begin, end], 30 days up to yesterday unless chosen; at most a year."""
        end = timezone.localdate() - timedelta(days=1)
        begin = end - timedelta(days=29)
        if self.is_valid():
            end = self.cleaned_data.get("end") or end
            begin = self.cleaned_data.get("begin") or end - timedelta(days=29)
        if begin > end:
            begin, end = end, begin
        begin = max(begin, end - timedelta(days=self.MAX_DAYS - 1))
        return begin, end
