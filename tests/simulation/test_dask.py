"""A sweep on a real Dask cluster: a scheduler and workers in processes of their own.

The cluster is started as a planner would on several machines (``dask scheduler``,
``dask worker``), here on 127.0.0.1; the runner gets ``client.get_executor()``. The
results equal the process pool's to the digit: every (replication, day) draws from
random streams named by the seed, whichever worker runs it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from frontdesk_core.simulation.runner import run
from simulation.test_runner import small_scenario

distributed = pytest.importorskip("distributed", reason="the 'dask' extra is not installed")


@pytest.fixture
def scheduler_file(tmp_path: Path) -> Iterator[Path]:
    """A scheduler and a worker with two processes, each a process of its own."""
    address = tmp_path / "scheduler.json"
    common = ["--scheduler-file", str(address)]
    started = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--dashboard-address",
                ":0",
                "--no-show",
                *common,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not address.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        started.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "distributed.cli.dask_worker",
                    "--nworkers",
                    "2",
                    "--nthreads",
                    "1",
                    "--host",
                    "127.0.0.1",
                    "--no-dashboard",
                    *common,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        yield address
    finally:
        # Each was started in a session of its own: its process group holds it and the
        # worker processes it forked, and only those are ended.
        for process in reversed(started):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_a_dask_cluster_gives_the_process_pools_results(
    scheduler_file: Path, tmp_path: Path
) -> None:
    loaded = small_scenario(tmp_path, hours="10:00-12:00")
    with ProcessPoolExecutor(max_workers=2) as pool:
        local = run(loaded, replications=3, seed=11, executor=pool, batch_days=1)
    with distributed.Client(scheduler_file=str(scheduler_file), timeout=60) as client:
        client.wait_for_workers(2, timeout=60)
        workers = {w["host"] for w in client.scheduler_info()["workers"].values()}
        assert workers == {"127.0.0.1"}
        on_cluster = run(
            loaded, replications=3, seed=11, executor=client.get_executor(), batch_days=1
        )
    assert on_cluster.records == local.records
    assert on_cluster.citizens == local.citizens > 0
