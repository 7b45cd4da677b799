"""bulletin/desk/jobs.py: proof, final and site builds as subprocesses of the project's CLI."""

from __future__ import annotations

import time

import pytest

from bulletin.desk import issues, jobs
from bulletin.desk.errors import DeskError, Editor, NotAllowed

ED = Editor("wang", "王编辑", "editor")
CHIEF = Editor("li", "李主编", "chief")


def wait(root, job_id, timeout=240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = jobs.job_status(root, job_id)
        if st.state != "running":
            return st
        time.sleep(0.2)
    raise AssertionError("job did not finish")


def test_site_job_runs_the_cli(project):
    job_id = jobs.start_job(project, "site", "2026-01", user=ED)
    st = jobs.job_status(project, job_id)
    assert st.kind == "site" and st.who == "王编辑" and st.state in ("running", "done")
    st = wait(project, job_id)
    assert st.state == "done", st.lines
    assert st.outputs == ["output/site/index.html"]
    assert st.finished is not None and st.finished >= st.started
    assert any("output/site" in line for line in st.lines)
    assert [j.id for j in jobs.list_jobs(project)] == [job_id]


def test_one_job_at_a_time(project):
    first = jobs.start_job(project, "site", "2026-01", user=ED)
    with pytest.raises(DeskError):
        jobs.start_job(project, "proof", "2026-01", user=ED)
    wait(project, first)
    second = jobs.start_job(project, "site", "2026-01", user=ED)  # free again once it ended
    assert wait(project, second).state == "done"


def test_a_failing_build_is_failed_with_its_messages(project):
    p = project / "content/2026/01/shi.md"
    p.write_text(
        p.read_text(encoding="utf-8").replace("section: poetry", "section: nosuch"), encoding="utf-8"
    )
    st = wait(project, jobs.start_job(project, "site", "2026-01", user=ED))
    assert st.state == "failed" and any("nosuch" in line for line in st.lines) and st.outputs == []


def test_final_needs_the_chief_and_an_approval(project):
    with pytest.raises(NotAllowed):
        jobs.start_job(project, "final", "2026-01", user=ED)
    with pytest.raises(NotAllowed):
        jobs.start_job(project, "final", "2026-01", user=CHIEF)  # not approved yet
    issues.approve_issue(project, "2026-01", user=CHIEF)
    with pytest.raises(NotAllowed):
        jobs.start_job(project, "final", "2026-01", user=ED)
    st = wait(project, jobs.start_job(project, "final", "2026-01", user=CHIEF))
    assert st.state == "done", st.lines
    assert st.outputs == ["output/pdf/2026-01.pdf"]
    assert (project / "output/pdf/2026-01.pdf").read_bytes()[:5] == b"%PDF-"


def test_proof_job(project):
    st = wait(project, jobs.start_job(project, "proof", "2026-01", user=ED))
    assert st.state == "done", st.lines
    assert st.outputs and all(o.startswith("output/proof/") and o.endswith(".pdf") for o in st.outputs)


@pytest.mark.parametrize("bad", ["../x", "", None, "a/b", "x" * 80])
def test_bad_job_ids(project, bad):
    with pytest.raises(DeskError):
        jobs.job_status(project, bad)


def test_bad_kind_or_issue(project):
    with pytest.raises(DeskError):
        jobs.start_job(project, "rm -rf /", "2026-01", user=ED)
    with pytest.raises(DeskError):
        jobs.start_job(project, "site", "2026-01; rm", user=ED)
    with pytest.raises(DeskError):
        jobs.job_status(project, "20260101000000-abcdef00")
