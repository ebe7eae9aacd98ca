"""What the audit trail can hold, read from the source, and one entry of every kind for the crawl.

``recorded()`` finds the codes and the before/after keys the code base records: the ``action=`` of
every call, the code handed to the apps' audit helpers (actor, code, …), the keys of literal
``before=``/``after=`` dicts, and the expansions of the few codes built from a variable (listed
in BUILT, so a new one fails until it is listed). ``seed_entries()`` writes an entry of every
code, on objects of every kind, whose changes name every field of every model and every key.
"""

from __future__ import annotations

import ast
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps

from zhengwei.audit import labels
from zhengwei.audit.services import audit_record
from zhengwei.procurement.models import Step

ROOT = Path(__file__).resolve().parents[1]
CODE = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z_]*)+")
# Helpers that take the audit code as their second argument (actor, code, …).
HELPERS = {"audit", "_audit", "_call", "_save", "_delete"}
# Codes built from a variable: the prefix → every value the variable takes.
BUILT = {
    "performance.scorecard.": ["compute", "sign"],
    "outbound_message.": ["sent", "failed", "queued"],
    "procurement.step.": list(Step.values),
    "procurement.contract.": ["published_on", "filed_on"],
}
# Object types recorded by name, not by a model.
NOT_MODELS = ("auth", "backup", "fieldcrypt", "http", "retention")


@dataclass
class Recorded:
    codes: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)  # of literal before/after dicts
    # app label → the model fields its services snapshot (*FIELDS lists, snapshot(obj, [...]))
    fields: dict[str, set[str]] = field(default_factory=dict)


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.List | ast.Tuple):
        return [
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
    return []


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def recorded() -> Recorded:
    found = Recorded()
    for path in ROOT.rglob("*.py"):
        if {"tests", "migrations", "testing"} & set(path.parts):
            continue
        app = path.relative_to(ROOT).parts[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id.endswith("FIELDS") for t in node.targets
            ):
                found.fields.setdefault(app, set()).update(_strings(node.value))
            if not isinstance(node, ast.Call):
                continue
            if _name(node.func) == "snapshot" and len(node.args) > 1:
                found.fields.setdefault(app, set()).update(_strings(node.args[1]))
            args = [k.value for k in node.keywords if k.arg == "action"]
            audited = bool(args) or _name(node.func) in HELPERS
            if _name(node.func) in HELPERS and len(node.args) > 1:
                args.append(node.args[1])
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    if CODE.fullmatch(arg.value):
                        found.codes.add(arg.value)
                elif isinstance(arg, ast.JoinedStr):
                    head = arg.values[0]
                    prefix = head.value if isinstance(head, ast.Constant) else ""
                    assert prefix in BUILT, f"{path}: list the values of f'{prefix}{{…}}' in BUILT"
                    found.codes.update(prefix + value for value in BUILT[prefix])
            for k in node.keywords if audited else ():
                if k.arg in ("before", "after") and isinstance(k.value, ast.Dict):
                    found.keys.update(
                        key.value
                        for key in k.value.keys
                        if isinstance(key, ast.Constant) and isinstance(key.value, str)
                    )
    return found


def model_fields() -> dict[str, list[str]]:
    """Object type → the names of its model's fields (what ``snapshot`` records). The simulator
    stands for WeChat: nothing of it is ever audited."""
    return {
        model._meta.label_lower: [f.name for f in model._meta.concrete_fields]
        for model in apps.get_models()
        if model.__module__.startswith("zhengwei.") and model._meta.app_label != "simulator"
    }


def recorded_fields() -> list[tuple[str, str]]:
    """(object type, key) of everything an entry can show as a change: the fields the apps'
    services snapshot (per app), every field of the organisations' rows (snapshot whole), and
    the keys of literal before/after dicts (on ``http``, an object type that is no model)."""
    found = recorded()
    fields = model_fields()
    shown = [
        (t, name)
        for app, names in sorted(found.fields.items())
        for t in fields
        if t.split(".")[0].startswith(app.split("_")[0])
        for name in sorted(names & set(fields[t]))
    ]
    shown += [(t, name) for t in fields if t.startswith("orgs.") for name in fields[t]]
    shown += [("http", key) for key in sorted(found.keys)]
    return [(t, name) for t, name in dict.fromkeys(shown) if name != "id"]


def _sample(object_type: str, name: str):
    model = apps.get_model(object_type) if "." in object_type else None
    choices = model._meta.get_field(name).flatchoices if model else None
    return str(choices[0][0]) if choices else "示例"


def seed_entries() -> int:
    """An entry of every code; together they name every recorded field and key (four a row, as
    the list shows four) and cover every object type. Returns how many were written."""
    codes = sorted(recorded().codes | set(labels.ACTION_LABELS))
    fields = model_fields()
    named: dict[str, list[str]] = {}
    for t, name in recorded_fields():
        named.setdefault(t, []).append(name)
    batches = [
        (t, names[i : i + 4]) for t, names in sorted(named.items()) for i in range(0, len(names), 4)
    ]
    types = itertools.cycle(sorted(fields) + list(NOT_MODELS))
    outcomes = itertools.cycle(["ok", "denied", "error"])
    count = max(len(codes), len(batches))
    for n in range(count):
        object_type, names = batches[n] if n < len(batches) else (next(types), [])
        audit_record(
            action=codes[n % len(codes)],
            actor_name="system",
            object_type=object_type,
            object_id=str(n + 1),
            object_repr="示例对象",
            before={name: _sample(object_type, name) for name in names},
            after={name: _sample(object_type, name) for name in names[:1]},
            outcome=next(outcomes),
        )
    return count
