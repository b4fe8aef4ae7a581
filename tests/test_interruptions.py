"""What is left after a run is interrupted or killed: no worker process outlives its parent, Ctrl-C
prints one line and a re-run resumes, and a damaged claims cache is named, worked around and removable.
These run claimdiff as a real process, since signals and orphaned workers cannot be shown in-process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from click.testing import CliRunner

from claimdiff.cli import cli
from conftest import SAMPLES


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in state  # a zombie has exited; only its entry waits to be reaped


def test_workers_exit_when_their_parent_is_killed(tmp_path):
    script = textwrap.dedent("""
        import multiprocessing, os, signal, sys, time
        from claimdiff.workers import process_pool
        pool = process_pool(2)
        for _ in range(4):
            pool.submit(time.sleep, 60)
        time.sleep(1)
        print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == -signal.SIGKILL
    pids = [int(p) for p in result.stdout.split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 10
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(p) for p in pids)


def test_ctrl_c_prints_one_line_and_a_rerun_resumes(tmp_path):
    source = tmp_path / "events"
    for n in range(12):
        shutil.copytree(SAMPLES / ("iraq-2021" if n % 2 else "corinne-storm"), source / f"event-{n:02d}")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "claimdiff", "batch", str(source), "-o", str(out), "--workers", "2",
               "--no-cache", "--format", "json"]
    # A terminal's Ctrl-C goes to the whole process group: the parent and every worker.
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, start_new_session=True)
    manifest = out / "manifest.json"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if json.loads(manifest.read_text())["events"]:
                break
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert stderr.strip() == "Interrupted.", stderr
    finished = set(json.loads(manifest.read_text())["events"])
    assert 0 < len(finished) < 12

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{12 - len(finished)} written, {len(finished)} unchanged" in rerun.stderr


def test_a_damaged_cache_is_named_the_batch_goes_on_and_cache_clear_removes_it(tmp_path):
    source = tmp_path / "events"
    shutil.copytree(SAMPLES / "corinne-storm", source / "storm")
    out = tmp_path / "out"
    assert run("batch", source, "-o", out, "--format", "json").exit_code == 0
    cache_file = out / ".claimdiff-cache.sqlite"
    data = bytearray(cache_file.read_bytes())
    for i in range(4096, len(data), 7):  # the header survives, the pages do not
        data[i] = 0xAB
    cache_file.write_bytes(bytes(data))
    shutil.rmtree(out / "storm")

    result = run("batch", source, "-o", out, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "claims cache is damaged" in result.stderr and f"cache clear {cache_file}" in result.stderr
    assert "1 written" in result.stderr

    cleared = run("cache", "clear", cache_file)
    assert cleared.exit_code == 0 and "deleted the damaged cache" in cleared.stderr
    assert not cache_file.exists()
    assert run("batch", source, "-o", out, "--format", "json").exit_code == 0
    assert cache_file.exists()


def test_cache_clear_leaves_a_file_that_is_not_a_cache(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    result = run("cache", "clear", notes)
    assert result.exit_code == 1 and "not a claims cache" in result.stderr
    assert notes.read_text() == "my notes\n"
