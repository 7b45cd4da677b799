"""Worker processes: the one way the build runs work in parallel.

Every parallel step (loading articles on a cold build, rendering pages, indexing search segments,
rendering PDFs) goes through here, in one of two shapes:

* :func:`pool` — a pool of forked processes for many small tasks (multiprocessing's ``Pool`` with the
  fork start method). The workers are forked, never spawned: they inherit the loaded archive, the plan
  and every imported module, so a task is an index or a key and only results travel back through the
  pool's pipes. What the tasks share is handed over as ``state`` and read in the worker with
  :func:`state` (a module global set before the fork: nothing big is pickled).
* :class:`Prefork` — one process forked *before* its work is known, which sets itself up (imports,
  fonts) while the caller goes on, then runs one task sent to it through a pipe.

Results come back pickled through pipes between this process and the children it forked, never through
a file: no state a user can write is ever unpickled.

Every child forked here (and any ``os.fork`` while the build holds its lock) gets the same hygiene, from
hooks installed on first use rather than at import:

* Ctrl-C and SIGTERM are held back while the process forks: arriving inside another module's fork hooks
  (logging's lock release) they would print an "Exception ignored" traceback and be lost; they are
  delivered as soon as the fork is done.
* Descriptors registered with :func:`close_in_children` (the output lock) are closed in the child at
  once, so a build killed with SIGKILL releases its lock even while its workers live on; and such a
  child asks the kernel to kill it when the build dies (``PR_SET_PDEATHSIG``), since orphaned pool
  workers would otherwise wait forever on a pipe their siblings keep open.

Where the platform cannot fork, :func:`can_fork` is False and callers run their work in this process.
"""

from __future__ import annotations

import gc
import logging  # noqa: F401 -- imported before our fork hooks are registered (see _install_hooks)
import multiprocessing
import os
import pickle  # only between this process and a child it forked, through a pipe: never from disk
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from typing import Any

__all__ = ["Prefork", "can_fork", "close_in_children", "pool", "state"]


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


_STATE: Any = None


def state() -> Any:
    """In a worker of :func:`pool`: the `state` the pool was opened with."""
    return _STATE


@contextmanager
def pool(jobs: int, state: Any = None, *, freeze: bool = False, collect: bool = False,
         initializer: Callable[[], None] | None = None) -> Iterator[Pool]:
    """A pool of `jobs` forked workers that see `state` (see :func:`state`); terminated on leaving.

    `freeze`: move everything this process holds into the collector's permanent generation before the
    fork, so a worker's collector never walks the inherited archive and plan (fewer copy-on-write page
    faults). `collect`: whether workers run the cyclic collector at all; off by default, since the work
    done in short-lived workers (loading, rendering pages, indexing) makes no reference cycles (measured
    on a 4,800-article archive), and collecting would only cost time. `initializer` runs once in each
    worker (after the collector is set)."""
    global _STATE
    _install_hooks()
    _STATE = state
    # A caller that froze its own heap already (a print process does after its setup) keeps it frozen:
    # gc.unfreeze() cannot give back only what this call froze, so then nothing more is frozen here.
    freeze = freeze and gc.get_freeze_count() == 0
    try:
        if freeze:
            gc.freeze()
        try:
            p = multiprocessing.get_context("fork").Pool(
                jobs, initializer=_init_worker, initargs=(collect, initializer)
            )
        finally:
            if freeze:
                gc.unfreeze()
        with p:
            yield p
    finally:
        _STATE = None


def _init_worker(collect: bool, initializer: Callable[[], None] | None) -> None:
    if not collect:
        gc.disable()
    if initializer is not None:
        initializer()


class Prefork:
    """One child forked before its work is known: it runs `setup()` at once, in parallel with the caller,
    then waits for one payload, runs `work(payload)` and sends back the result. The caller gets
    ``("ok", result)``, ``("error", exception)`` (raised by `work`: the caller raises it again, as if it
    had run the work itself), or ``("failed", None)`` when the child died or could not be understood (the
    caller then does the work itself)."""

    def __init__(self, pid: int, to_child: int, from_child: int) -> None:
        self.pid = pid
        self._to_child = to_child
        self._from_child = from_child

    @classmethod
    def start(cls, setup: Callable[[], None], work: Callable[[Any], Any]) -> Prefork | None:
        """Fork the child; None where the platform cannot fork or the fork failed."""
        if not hasattr(os, "fork"):
            return None
        _install_hooks()
        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (req_r, req_w, res_r, res_w):
                os.close(fd)
            return None
        if pid:
            os.close(req_r)
            os.close(res_w)
            return cls(pid, req_w, res_r)
        # the child: never returns into the caller's code (no finally blocks, no atexit handlers)
        code = 0
        try:
            os.close(req_w)
            os.close(res_r)
            setup()
            with os.fdopen(req_r, "rb") as r:
                data = r.read()
            if data:
                try:
                    reply = ("ok", work(pickle.loads(data)))
                except Exception as exc:
                    reply = ("error", exc)
                try:
                    out = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # a result or exception that cannot be pickled: the caller does the work
                    out = pickle.dumps(("failed", None))
                with os.fdopen(res_w, "wb") as w:
                    w.write(out)
        except BaseException:
            code = 1
        finally:
            os._exit(code)

    def run(self, payload: Any) -> tuple[str, Any]:
        """Send `payload` to the child and wait for its reply (see the class); the child is reaped."""
        if self.pid == 0 or self._to_child < 0:
            return "failed", None
        try:
            with os.fdopen(self._to_child, "wb") as w:
                self._to_child = -1
                pickle.dump(payload, w, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(self._from_child, "rb") as r:
                self._from_child = -1
                status, result = pickle.load(r)
        except Exception:  # the child died (EOF, broken pipe) or sent what cannot be read back
            status, result = "failed", None
        self._reap()
        return status, result

    def close(self) -> None:
        """Stop the child if it was not given its work; reap it. Idempotent."""
        if self.pid and self._to_child >= 0:
            try:
                os.kill(self.pid, signal.SIGKILL)  # still setting up, or waiting for work: not needed
            except ProcessLookupError:
                pass
        for fd in (self._to_child, self._from_child):
            if fd >= 0:
                os.close(fd)
        self._to_child = self._from_child = -1
        self._reap()

    def _reap(self) -> None:
        if self.pid:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = 0


# --- fork hygiene (see the module's docstring) ------------------------------------------------------

_HELD_FDS: set[int] = set()
_FORKING_PID = 0
_PR_SET_PDEATHSIG = 1
_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}
_MASK_BEFORE_FORK: list[set] = []
_prctl = None  # libc's prctl, looked up with the hooks (never in a freshly forked child)
_installed = False


def close_in_children(fd: int, held: bool = True) -> None:
    """Have every child forked from now on close its copy of `fd` at once (and die with this process);
    `held=False` when this process lets go of `fd`."""
    if held:
        _install_hooks()
        _HELD_FDS.add(fd)
    else:
        _HELD_FDS.discard(fd)


def _install_hooks() -> None:
    global _installed, _prctl
    if _installed:
        return
    _installed = True
    _prctl = _find_prctl()
    # registered after logging's hooks (imported above), so that ours run outside them: before-fork hooks
    # run in reverse order of registration, after-fork hooks in order
    os.register_at_fork(
        before=_before_fork, after_in_parent=_restore_mask, after_in_child=_after_fork_in_child
    )


def _find_prctl():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux: workers end when their queue breaks instead
        return None


def _before_fork() -> None:
    global _FORKING_PID
    _FORKING_PID = os.getpid()
    _MASK_BEFORE_FORK.append(signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS))


def _restore_mask() -> None:
    if _MASK_BEFORE_FORK:
        signal.pthread_sigmask(signal.SIG_SETMASK, _MASK_BEFORE_FORK.pop())


def _after_fork_in_child() -> None:
    _restore_mask()
    if not _HELD_FDS:
        return
    for fd in list(_HELD_FDS):
        try:
            os.close(fd)  # closes the child's copy only: the parent's lock stays
        except OSError:
            pass
    _HELD_FDS.clear()
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != _FORKING_PID:  # the build died before the line above took effect
            os._exit(1)
