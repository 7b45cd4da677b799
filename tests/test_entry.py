"""bulletin.entry and build.py: a Ctrl-C while the program starts is a short line and status 130."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

from conftest import FIXTURES, REPO

LINE = "已中断（Ctrl-C），没有做任何改动。"


def _sigint_default() -> None:
    """In the child before exec: a Ctrl-C kills as in a terminal, even when the test run itself was
    started in the background (a shell without job control starts background jobs with SIGINT
    ignored, and the child would inherit that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _python(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        preexec_fn=_sigint_default,
    )


def test_a_ctrl_c_during_the_imports_is_quiet():
    """After bulletin.entry is imported, a Ctrl-C in the middle of importing the command line exits 130
    with one line (the signal is sent while `import bulletin.cli` has not happened yet)."""
    r = _python(
        "import os, signal, bulletin.entry\n"
        "os.kill(os.getpid(), signal.SIGINT)\n"
        "import bulletin.cli\n"
        "print('not reached')\n"
    )
    assert (r.returncode, r.stderr, r.stdout) == (130, LINE + "\n", "")


def test_english_when_asked():
    r = _python("import os, signal, bulletin.entry; os.kill(os.getpid(), signal.SIGINT)", "--lang", "en")
    assert (r.returncode, r.stderr) == (130, "Interrupted (Ctrl-C): nothing was changed.\n")


def test_the_command_line_takes_ctrl_c_back():
    """cli.main restores Python's handler (its own except KeyboardInterrupt then speaks), and never takes
    over a handler it did not install (SIGINT ignored under nohup stays ignored)."""
    r = _python(
        "import signal, bulletin.entry\n"
        "from bulletin import cli\n"
        "assert signal.getsignal(signal.SIGINT) is bulletin.entry.interrupted_while_starting\n"
        "try:\n    cli.main(['--version'])\nexcept SystemExit:\n    pass\n"
        "assert signal.getsignal(signal.SIGINT) is signal.default_int_handler\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "bulletin.entry.install()\n"
        "assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN\n"
        "print('ok')\n"
    )
    assert r.returncode == 0 and r.stdout.strip().endswith("ok"), r.stderr


def _startup_only(stderr: str) -> bool:
    """A traceback from the interpreter's own start-up (site, .pth files, line 0 of the script before its
    first instruction), which no code of ours can catch: no frame of bulletin and no line of build.py."""
    frames = re.findall(r'File "([^"]+)", line (\d+)', stderr)
    ours = str(REPO / "bulletin") + os.sep
    # the editable install's finder (site-packages/__editable___bulletin_*_finder.py) runs from site, and
    # the clone may itself sit in a folder named bulletin: only the package's own files count as ours
    return not any(f.startswith(ours) or (f == str(REPO / "build.py") and line != "0") for f, line in frames)


def test_ctrl_c_at_any_moment_of_the_start_up(tmp_path):
    """SIGINT at 0–100 ms after `python build.py check` is spawned: never a traceback from our code; a
    quiet 130 once our code runs. (bulletin/entry.py says what is left to Python.)"""
    import shutil

    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    quiet = 0
    for i in range(36):
        p = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "--root", str(root), "check"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "BULLETIN_LANG": "zh"},
            preexec_fn=_sigint_default,
        )
        time.sleep((i % 12) * 0.009)
        p.send_signal(signal.SIGINT)
        err = p.communicate(timeout=60)[1]
        if "Traceback" in err:
            assert _startup_only(err), err
        elif p.returncode == 130:
            assert err.endswith(LINE + "\n") or "构建被中断" in err, err
            quiet += 1
    assert quiet, "no interrupt landed in our start-up: the delays are too short for this machine"
