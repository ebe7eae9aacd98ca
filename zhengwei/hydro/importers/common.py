"""What every importer shares: reading a file's text, rejected rows, the rejects file.

A *row* that cannot be taken (impossible value, unknown station, duplicate) is rejected: reported
with the file and line, written to the rejects file, and the rest of the file is imported. A *file*
that cannot be read (wrong format, undecodable encoding, no header) is refused whole: nothing of it
is stored. Either way nothing is dropped silently.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import operator
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from zhengwei.lib.text import spreadsheet_row

BEIJING = ZoneInfo("Asia/Shanghai")
# Tried in order: UTF-8 (with or without BOM), then GB18030, the superset of GBK/GB2312 that
# Chinese Windows tools write.
ENCODINGS = ("utf-8-sig", "gb18030")


class FileRefused(Exception):
    """The whole file is refused (nothing of it is stored)."""

    def __init__(self, reason: str, line: int = 0):
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class Reject:
    line: int
    reason: str
    raw: str = ""


@dataclass
class Parsed:
    """What a parser made of a file: rows to store (by target) and the rows it rejected."""

    kind: str
    rows: list = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    read: int = 0
    extra: dict = field(default_factory=dict)
    # Observations instead come as chunks of rows, read as the store takes them (so reading the
    # file and the database's loading of it overlap); ``rejects`` and ``read`` are complete once
    # they are consumed. ``expected``: about how many rows the file holds, for progress.
    chunks: Iterator[list[tuple]] = field(default_factory=lambda: iter(()))
    expected: int | None = None


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was in; FileRefused when it is in neither."""
    if b"\x00" in data[:4096]:
        raise FileRefused("binary file (not CSV, text or JSON)")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            last = exc
    line = data[: last.start].count(b"\n") + 1
    raise FileRefused("the file is neither UTF-8 nor GBK/GB18030", line)


def csv_rows(text: str) -> Iterator[tuple[int, list[str], str]]:
    """(line number, cells, raw line) for every non-blank line, line 1 being the first.

    Most feeds quote nothing and pad nothing: then one csv reader runs over the whole text and
    the rows come out of C iterators (a reader per line cost more than the checks on files of
    millions of rows). Otherwise each line is read on its own, so that a stray quote cannot
    swallow the lines after it, and its cells are stripped."""
    lines = text.splitlines()
    if '"' in text or _padded(text):
        for number, raw in enumerate(lines, start=1):
            if raw.strip():
                yield number, _line_cells(raw), raw
        return
    reader = csv.reader(lines)
    while True:
        done = reader.line_num
        rows = zip(itertools.count(done + 1), reader, itertools.islice(lines, done, None))
        try:
            yield from filter(_CELLS, rows)  # a blank line reads as no cells
            return
        except csv.Error:  # a line over the csv module's field size limit
            number = reader.line_num
            yield number, _line_cells(lines[number - 1]), lines[number - 1]


_CELLS = operator.itemgetter(1)


def _padded(text: str) -> bool:
    """Whether a cell may start or end with blanks (a time's inner space is not padding)."""
    return (
        any(blank in text for blank in ("\t", ", ", " ,", "\n ", " \n", " \r", "\r "))
        or text[:1] == " "
        or text[-1:] == " "
    )


def _line_cells(raw: str) -> list[str]:
    try:
        cells = next(csv.reader([raw]))
    except (csv.Error, StopIteration) as exc:
        return [f"\x00{exc}"]
    return [c.strip() for c in cells]


_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y%m%d%H",
)


# A file repeats each time once per station (1,400 gauges report the same hour): parsed once.
@functools.lru_cache(maxsize=65536)
def parse_time(text: str, tz=BEIJING) -> datetime:
    """A time as SL 323 exports and feeds write it (Beijing time unless it says otherwise)."""
    value = text.strip().replace(".0000000", "").split(".")[0]
    if not value:
        raise ValueError("no time")
    if value.endswith("Z") or "+" in value[10:]:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed
    if len(value) >= 16 and value[4] == "-" and value[10] in " T":
        try:  # the common case, ISO with a space or T, without strptime's cost
            return datetime.fromisoformat(value).replace(tzinfo=tz)
        except ValueError:
            pass
    for fmt in _FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    raise ValueError(f"unreadable time {text!r}")


def write_rejects(directory: str, name: str, source: str, rejects: list[Reject]) -> str:
    """Write the rejected rows (file, line, reason, row) next to each other; return the path."""
    if not rejects:
        return ""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(tz=BEIJING).strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"{stamp}-{Path(name).name}.rejects.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["file", "line", "reason", "row"])
    for reject in rejects:
        writer.writerow(spreadsheet_row([source, reject.line, reject.reason, reject.raw]))
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return str(path)
