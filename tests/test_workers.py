"""bulletin/workers.py: the one way the build runs work in parallel."""

from __future__ import annotations

import ast
import gc
import os
from pathlib import Path

import pytest

from bulletin import workers

PACKAGE = Path(workers.__file__).parent

pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="needs fork")


def _square_of_state(i: int) -> tuple[int, int]:
    return i, workers.state()["factor"] * i * i


def _collector_enabled(_: int) -> bool:
    return gc.isenabled()


def _pid(_: int) -> int:
    return os.getpid()


def test_pool_workers_see_the_state_and_results_come_back_in_order():
    with workers.pool(2, {"factor": 3}) as pool:
        got = list(pool.imap(_square_of_state, range(50), chunksize=4))
    assert got == [(i, 3 * i * i) for i in range(50)]
    assert workers.state() is None  # not left behind for the next pool


def test_pool_state_is_reset_when_the_caller_stops_early():
    def first_results():
        with workers.pool(2, {"factor": 1}) as pool:
            yield from pool.imap(_square_of_state, range(1000))

    gen = first_results()
    assert next(gen) == (0, 0)
    gen.close()
    assert workers.state() is None


def test_pool_workers_run_without_the_collector_unless_asked():
    with workers.pool(2) as pool:
        assert not any(pool.map(_collector_enabled, range(8)))
    with workers.pool(2, collect=True) as pool:
        assert all(pool.map(_collector_enabled, range(8)))
    assert gc.isenabled()  # the caller's collector is untouched


def test_pool_freeze_does_not_leave_the_callers_objects_frozen():
    before = gc.get_freeze_count()
    with workers.pool(2, freeze=True) as pool:
        pids = set(pool.map(_pid, range(16)))
    assert gc.get_freeze_count() == before
    assert os.getpid() not in pids  # the work ran in other processes


def test_pool_leaves_a_heap_the_caller_froze_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with workers.pool(2, freeze=True) as pool:
            list(pool.map(_pid, range(4)))
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


_INIT_MARK: list[str] = []


def _mark() -> None:
    _INIT_MARK.append("set up")


def _marks(_: int) -> list[str]:
    return list(_INIT_MARK)


def test_pool_initializer_runs_in_each_worker_not_in_the_caller():
    with workers.pool(2, initializer=_mark) as pool:
        assert all(m == ["set up"] for m in pool.map(_marks, range(4)))
    assert _INIT_MARK == []


def test_prefork_runs_setup_before_the_work_and_returns_the_result():
    done: list[str] = []
    child = workers.Prefork.start(lambda: done.append("setup"), lambda payload: (done, payload * 2))
    assert child is not None and child.pid > 0
    status, result = child.run(21)
    assert status == "ok"
    assert result == (["setup"], 42)  # the child's own list: setup ran there, not here
    assert done == []
    assert child.pid == 0  # reaped
    child.close()  # idempotent


def test_prefork_returns_the_exception_raised_by_the_work():
    def fail(_):
        raise ValueError("bad input")

    child = workers.Prefork.start(lambda: None, fail)
    status, exc = child.run("x")
    assert status == "error" and isinstance(exc, ValueError) and str(exc) == "bad input"


def test_prefork_whose_result_cannot_travel_back_says_failed():
    child = workers.Prefork.start(lambda: None, lambda _: (lambda: None))  # a lambda does not pickle
    assert child.run(None) == ("failed", None)


def test_prefork_that_died_says_failed_and_close_after_run_is_harmless():
    child = workers.Prefork.start(lambda: os._exit(3), lambda _: "never")
    assert child.run(None) == ("failed", None)
    child.close()


def test_prefork_not_given_work_is_stopped_by_close():
    import time

    child = workers.Prefork.start(lambda: time.sleep(30), lambda _: None)
    pid = child.pid
    child.close()
    assert child.pid == 0
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left


def test_children_close_the_descriptors_they_must_not_keep():
    r, w = os.pipe()
    try:
        workers.close_in_children(w)

        def is_open(_):
            try:
                os.fstat(w)
            except OSError:
                return False
            return True

        child = workers.Prefork.start(lambda: None, is_open)
        assert child.run(None) == ("ok", False)
        workers.close_in_children(w, held=False)
        child = workers.Prefork.start(lambda: None, is_open)
        assert child.run(None) == ("ok", True)
    finally:
        workers.close_in_children(w, held=False)
        os.close(r)
        os.close(w)


def _forking_calls(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            found += [n for n in names if n and n.split(".")[0] in ("multiprocessing", "concurrent")]
        elif isinstance(node, ast.Attribute) and node.attr in ("fork", "register_at_fork", "forkpty"):
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                found.append(f"os.{node.attr}")
    return found


def test_only_workers_py_starts_processes():
    """One worker-pool helper: every parallel step goes through bulletin/workers.py, so the fork
    hygiene (held descriptors, PDEATHSIG, Ctrl-C during fork) applies to all of them."""
    offenders = {}
    for py in sorted(PACKAGE.rglob("*.py")):
        if py.name == "workers.py" and py.parent == PACKAGE:
            continue
        calls = _forking_calls(ast.parse(py.read_text(encoding="utf-8")))
        if calls:
            offenders[str(py.relative_to(PACKAGE))] = calls
    assert offenders == {}
