"""Model fields whose column holds only ciphertext (lib/fieldcrypt), for citizens' personal data.

* ``SealedTextField``: plaintext in Python, ``zf1$…`` in the column. Encrypted on the way in
  (``get_prep_value``; an already encrypted value passes unchanged, so a hot path that seals
  before a raw INSERT is not sealed twice), decrypted on the way out (``from_db_value``). A value
  written before the column was sealed reads as it is until the data migration encrypts it.
* ``SealedJSONField``: the same for a JSON document (a whole inbound message's fields).
* ``SealedIdentityField`` + ``BlindIndexField``: an identifier (an openid) stored encrypted, with
  a keyed hash beside it (FIELD_INDEX_KEY, outside the database). ``pre_save`` fills the hash from
  the identifier, and ``filter(openid=x)`` / ``openid__in=[…]`` are rewritten to compare the hash
  column, so callers keep writing ordinary look-ups while indexes and unique constraints are
  declared on the hash. The hash uses one context for every openid column, so the same citizen
  matches across tables. ``QuerySet.update(openid=…)`` and ``save(update_fields=[…])`` do not run
  ``pre_save``: name the hash column too (``index_values``).

Every sealed column registers itself with ``fieldcrypt.register`` so ``manage.py
rotate_field_keys`` re-encrypts it.
"""

from __future__ import annotations

import json

from django.apps import apps as global_apps
from django.conf import settings
from django.db import migrations, models
from django.db.models import lookups

from zhengwei.lib import fieldcrypt

OPENID = "wechat.openid"
DEDUPE = "wechat.inbound.dedupe"


def blind(value: str, context: str = OPENID) -> str:
    """The keyed hash that stands for ``value`` in look-ups ("" for "")."""
    return fieldcrypt.blind_index(value, settings.FIELD_INDEX_KEY, context)


def dedupe_digest(key: str) -> str:
    """An inbound delivery's de-duplication key without the openid it is made of."""
    return "k:" + blind(key, DEDUPE)


def open_value(stored: str | None, context: str) -> str | None:
    if stored and fieldcrypt.is_encrypted(stored):
        return fieldcrypt.decrypt(stored, fieldcrypt.settings_ring(), context)
    return stored


def seal_value(value: str | None, context: str) -> str | None:
    if not value or fieldcrypt.is_encrypted(value):
        return value
    return fieldcrypt.seal(value, context)


class SealedTextField(models.TextField):
    def __init__(self, *args, context: str, **kwargs):
        self.context = context
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["context"] = self.context
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        # Only the live models: migrations build historical (and temporary) copies too.
        if not cls._meta.abstract and cls._meta.apps is global_apps:
            fieldcrypt.register(cls._meta.label, self.attname, self.context, legacy="plain")

    def from_db_value(self, value, expression, connection):
        return open_value(value, self.context)

    def get_prep_value(self, value):
        return seal_value(super().get_prep_value(value), self.context)


class SealedJSONField(SealedTextField):
    """A JSON document kept encrypted; ``{}`` when empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        text = open_value(value, self.context)
        return json.loads(text) if text else {}

    def to_python(self, value):
        return json.loads(value) if isinstance(value, str) and value else (value or {})

    def get_prep_value(self, value):
        if isinstance(value, str):
            return seal_value(value, self.context)
        if not value:
            return ""
        return fieldcrypt.seal(json.dumps(value, ensure_ascii=False), self.context)

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)


class SealedIdentityField(SealedTextField):
    """An identifier kept encrypted, looked up through its ``index`` (a ``BlindIndexField``)."""

    def __init__(self, *args, index: str, **kwargs):
        self.index = index
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["index"] = self.index
        return name, path, args, kwargs


class BlindIndexField(models.CharField):
    """The keyed hash of a ``SealedIdentityField`` of the same model, kept by ``pre_save``."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key in ("max_length", "blank", "editable"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = blind(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


def index_values(**identities: str) -> dict[str, str]:
    """``update(**index_values(openid=x))`` → ``{"openid": x, "openid_index": hash}``."""
    out = {}
    for name, value in identities.items():
        out[name] = value
        out[f"{name}_index"] = blind(value or "")
    return out


class _ByIndex:
    """Compare the identifier's blind-index column instead of its ciphertext."""

    prepare_rhs = False

    def _index_col(self):
        field = self.lhs.target
        return field.model._meta.get_field(field.index).get_col(self.lhs.alias)

    def _hashed(self, value):
        if hasattr(value, "resolve_expression"):
            raise TypeError("a sealed identifier is compared only with plain values")
        return blind(value or "")


@SealedIdentityField.register_lookup
class SealedExact(_ByIndex, lookups.Exact):
    def as_sql(self, compiler, connection):
        return lookups.Exact(self._index_col(), self._hashed(self.rhs)).as_sql(compiler, connection)


@SealedIdentityField.register_lookup
class SealedIn(_ByIndex, lookups.In):
    def as_sql(self, compiler, connection):
        hashed = [self._hashed(v) for v in self.rhs]
        return lookups.In(self._index_col(), hashed).as_sql(compiler, connection)


# --- data migrations -------------------------------------------------------------------------
def _batches(cursor, table: str, columns: list[str], size: int = 1000):
    qn = cursor.db.ops.quote_name
    last = 0
    while True:
        cursor.execute(
            f"SELECT {qn('id')}, {', '.join(qn(c) for c in columns)} FROM {qn(table)} "
            f"WHERE {qn('id')} > %s ORDER BY {qn('id')} LIMIT {size}",
            [last],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def seal_column(
    table: str, column: str, context: str, *, index: str = "", hashed: str = "", empty: str = ""
):
    """A reversible ``RunPython`` that encrypts a column's existing values in place (and fills its
    blind ``index`` column). ``hashed`` names a key column replaced by its keyed hash, one way:
    the reverse leaves those hashes, which still de-duplicate every later delivery. ``empty`` is
    what an empty value becomes on the way back (``{}`` for a column going back to JSON).

    Raw SQL, so it does not depend on how the model's fields read or write. Back up the database
    first: going back needs the same keys (FIELD_KEYS, FIELD_INDEX_KEY)."""

    def forward(apps, schema_editor):
        qn = schema_editor.connection.ops.quote_name
        sets = [column, *([index] if index else []), *([hashed] if hashed else [])]
        sql = (
            f"UPDATE {qn(table)} SET {', '.join(f'{qn(c)} = %s' for c in sets)} "
            f"WHERE {qn('id')} = %s"
        )
        with schema_editor.connection.cursor() as cursor:
            for rows in _batches(cursor, table, [column, *([hashed] if hashed else [])]):
                params = []
                for pk, value, *key in rows:
                    if value and fieldcrypt.is_encrypted(value):
                        continue
                    out = [seal_value(value or "", context)]
                    if index:
                        out.append(blind(value or ""))
                    if hashed:
                        old = key[0]
                        out.append(old if old.startswith("k:") else dedupe_digest(old))
                    params.append([*out, pk])
                cursor.executemany(sql, params)

    def backward(apps, schema_editor):
        qn = schema_editor.connection.ops.quote_name
        sql = f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn('id')} = %s"
        with schema_editor.connection.cursor() as cursor:
            for rows in _batches(cursor, table, [column]):
                params = []
                for pk, value in rows:
                    if value and fieldcrypt.is_encrypted(value):
                        params.append([open_value(value, context), pk])
                    elif not value and empty:
                        params.append([empty, pk])
                cursor.executemany(sql, params)

    return migrations.RunPython(forward, backward, elidable=False)
