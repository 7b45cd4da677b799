"""The program's entry point (`bulletin`, `python build.py`): Ctrl-C while it is still starting.

Importing the command line (click, the pipeline's modules) takes a few tens of milliseconds. A Ctrl-C
then would print the traceback of whatever import was under way; instead the program says one short line
and exits with status 130, as it does for a Ctrl-C later on. Importing this module installs that handler,
so only the program imports it (the console script `bulletin` and build.py); `bulletin.cli.main` puts
Python's own handler back once its own Ctrl-C handling is in place.

What no code of ours can cover: a Ctrl-C while the interpreter itself starts (its `site` module and the
.pth files of the environment, e.g. an editable install's finder), before the first line of build.py or
of the console script runs. Python prints that traceback itself ("Failed to import the site module").
Measured on a busy 2-core machine, SIGINT 0/5/10/20/50 ms after spawning `python build.py check`, 60
runs each: no traceback from our code in any run; 100 % / 93 % / 63 % / 5 % / 0 % died of the signal
silently (before Python installs its handler); 0 / 7 / 37 / 95 / 23 % got Python's start-up traceback
(site and the editable install's .pth finder take 10–20 ms here unloaded, up to ~80 ms under load); the
rest exited quietly with 130. The console script has one more window of well under a millisecond: its
`from bulletin.entry import run` before this module's first line.
"""

# the interpreter's own C module: `import signal` builds enums for a millisecond or two, long enough for
# a Ctrl-C to land in it
import _signal
import os
import sys

from bulletin.missing_package import missing_package_line


def interrupted_while_starting(signum, frame):  # noqa: ARG001 - a signal handler's signature
    """SIGINT before the command line is ready: nothing was done yet; say so and leave."""
    os.write(2, (interrupted_line() + "\n").encode())
    os._exit(130)


interrupted_while_starting.bulletin_startup = True  # bulletin.cli.main restores Python's handler over it


def interrupted_line() -> str:
    argv = " ".join(sys.argv[1:])
    english = os.environ.get("BULLETIN_LANG", "").startswith("en")
    english = "--lang en" in argv or "--lang=en" in argv or (english and "--lang zh" not in argv)
    return "Interrupted (Ctrl-C): nothing was changed." if english else "已中断（Ctrl-C），没有做任何改动。"


def install() -> None:
    """Quiet Ctrl-C from now until the command line handles it (not if SIGINT is ignored, as under nohup)."""
    if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
        _signal.signal(_signal.SIGINT, interrupted_while_starting)


install()


def run() -> None:
    """`bulletin …`: the command line (bulletin.cli.run), imported under the quiet handler."""
    try:
        from bulletin.cli import run as cli_run
    except ModuleNotFoundError as exc:  # click & co. missing: not installed (see missing_package_line)
        if (exc.name or "bulletin").partition(".")[0] == "bulletin":
            raise
        os.write(2, (missing_package_line(exc.name) + "\n").encode())
        os._exit(1)
    cli_run()
