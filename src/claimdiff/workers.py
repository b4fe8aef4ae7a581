"""Worker processes that never outlive the process that started them, and leave Ctrl-C to it.

A worker blocked on its task queue would wait forever for a parent killed with SIGKILL, so each worker
watches its parent and exits when it is gone. Ctrl-C reaches every process of the terminal's group; the
workers ignore it, finish (or are cancelled before) their task, and the parent alone reports it in one
line, instead of one traceback per worker."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PARENT_CHECK_SECONDS = 0.5


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes, forked where the system can (they then share what is loaded)."""
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                               initargs=(os.getpid(),))


def _start_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="parent-watch").start()


def _exit_with_parent(parent: int) -> None:
    # Once the parent is gone the worker is re-parented, so getppid() no longer names it.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)
