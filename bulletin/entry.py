"""The program's entry point (`bulletin`, `python build.py`): Ctrl-C while it is still starting.

Importing the command line (click, the pipeline's modules) takes a few tens of milliseconds. A Ctrl-C
then would print the traceback of whatever import was under way; instead the program says one short line
and exits with status 130, as it does for a Ctrl-C later on. Importing this module installs that handler,
so only the program imports it (the console script `bulletin` and build.py); `bulletin.cli.main` puts
Python's own handler back once its own Ctrl-C handling is in place.

What no code of ours can cover: a Ctrl-C while the interpreter itself starts (its `site` module and the
.pth files of the environment, e.g. an editable install's finder), before the first line of build.py or
of the console script runs. Python prints that traceback itself ("Failed to import the site module").
"""

import os
import signal
import sys


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
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, interrupted_while_starting)


install()


def run() -> None:
    """`bulletin …`: the command line (bulletin.cli.run), imported under the quiet handler."""
    from bulletin.cli import run as cli_run

    cli_run()
