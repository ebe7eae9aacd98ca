"""./run's workers say only warnings and errors on the console and keep their INFO in a file, so
the banner with the addresses and demo sign-ins is not buried (issue #7)."""

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import logging, django
django.setup()
log = logging.getLogger("zhengwei.scheduler")
log.info("round claimed")
log.warning("a command failed")
"""


def test_a_worker_logs_warnings_to_the_console_and_info_to_its_file(tmp_path):
    log_file = tmp_path / "log" / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhengwei.settings",
        "LOG_CONSOLE_LEVEL": "WARNING",
        "LOG_FILE": str(log_file),
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert done.returncode == 0, done.stderr
    assert "a command failed" in done.stderr and "round claimed" not in done.stderr
    kept = log_file.read_text()
    assert "round claimed" in kept and "a command failed" in kept


def test_run_prints_its_banner_after_starting_the_workers():
    run = (Path(__file__).resolve().parents[3] / "run").read_text()
    banner = run.index("is running")
    assert run.index("run_scheduler") < banner and run.index("db_worker") < banner
    assert run.count('LOG_CONSOLE_LEVEL="${LOG_CONSOLE_LEVEL:-WARNING}"') == 2
