"""Import SL 323 tables (CSV), CMA best-track files, IBTrACS CSV or typhoon JSON.

python manage.py hydro_import ST_STBPRP_B.csv ST_PPTN_R.csv …
python manage.py hydro_import --kind ST_PPTN_R rain-gbk.csv
python manage.py hydro_import --from-db sqlite:///path/to/sl323.db --since "2017-07-30 00:00"
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from zhengwei.hydro.models import ImportKind, ImportStatus
from zhengwei.hydro.services import imports


class Command(BaseCommand):
    help = "Import flood data files (format recognised from the content unless --kind is given)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="files to import, in order")
        parser.add_argument("--kind", choices=ImportKind.values, help="refuse other formats")
        parser.add_argument("--from-db", dest="from_db", help="SL 323 database URL to pull from")
        parser.add_argument("--since", help="with --from-db: rows from this Beijing time on")
        parser.add_argument("--quiet-progress", action="store_true", help="no progress bar")

    def handle(self, *args, files, kind, from_db, since, quiet_progress, **options):
        if not files and not from_db:
            raise CommandError("name files to import, or --from-db")
        failed = 0
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, disable=quiet_progress, transient=True) as bar:
            runs = []
            for name in files:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(f"{name}: no such file")
                task = bar.add_task(path.name, total=None)

                def progress(done, total, task=task):
                    bar.update(task, completed=done, total=total)

                runs.append(
                    imports.hydro_import(
                        actor=None,
                        data=path.read_bytes(),
                        name=path.name,
                        kind=kind,
                        progress=progress,
                        source=str(path),
                    )
                )
            if from_db:
                runs += imports.source_db_pull(url=from_db, since=since)
        for run in runs:
            line = (
                f"{run.source}: {run.get_status_display()} — {run.rows_stored} stored, "
                f"{run.rows_rejected} rejected of {run.rows_read} read in {run.seconds:.1f} s"
            )
            if run.status == ImportStatus.FAILED:
                failed += 1
                self.stderr.write(f"{line}\n  {run.error}")
            else:
                self.stdout.write(line)
            if run.rejects_file:
                self.stdout.write(f"  rejected rows: {run.rejects_file}")
        if failed:
            raise CommandError(f"{failed} of {len(runs)} imports failed")
