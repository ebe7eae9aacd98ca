"""gunicorn settings file for the benchmarks (`-c bench/gunicorn_ready.py`): every worker leaves a
mark in BENCH_READY_DIR once it has loaded the application, so a harness starts measuring only when
all workers take connections. On a busy machine one worker can still be importing the app seconds
after the other answers; wrk's keep-alive connections then all stay with the first one."""

import os
from pathlib import Path


def post_worker_init(worker):
    ready = os.environ.get("BENCH_READY_DIR")
    if ready:
        Path(ready, str(worker.pid)).touch()
