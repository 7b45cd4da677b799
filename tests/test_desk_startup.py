"""bulletin/desk/startup.py: the warm-up fills the issue list's cache and never raises."""

from __future__ import annotations

from bulletin.desk import startup


def test_warm_up_builds_the_cache(project):
    startup.warm_up(project)
    assert (project / ".desk/cache/issues.json").is_file()


def test_warm_up_on_a_broken_project_does_not_raise(project):
    (project / "bulletin.yaml").write_text("title: [\n", encoding="utf-8")
    startup.warm_up(project)
