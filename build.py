#!/usr/bin/env python3
"""`python build.py 2026-04` — the same command as `bulletin build 2026-04` (see `python build.py --help`)."""

# Everything sits in the try: a Ctrl-C before bulletin.entry has installed its quiet handler (the first
# thing it does) is a short line and status 130 too, never a traceback. (One during the interpreter's
# own start-up, before this line runs, is Python's to print: see bulletin/entry.py.)
try:
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bulletin.entry import run
except KeyboardInterrupt:
    import os  # (bound already unless the Ctrl-C came first; the module itself is loaded at start-up)

    os.write(2, "已中断（Ctrl-C），没有做任何改动。\n".encode())
    os._exit(130)

if __name__ == "__main__":
    run()
