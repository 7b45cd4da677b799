"""bulletin/print/jobs.py: WeasyPrint's libraries found from one read of the linker cache while it is
imported, with the answers ctypes.util.find_library gives, and no compiler or linker run."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

from bulletin.print.jobs import linker_cache_finder

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the linker cache is Linux's")

# every name WeasyPrint 70's text/ffi.py tries, in its order (those that load as they are never reach
# find_library, but the answers must agree for all)
NAMES = (
    "libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0", "libgobject-2.0.so.0",
    "libpango-1.0-0", "pango-1.0-0", "pango-1.0", "libpango-1.0.so.0",
    "libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz.so.0",
    "libharfbuzz-subset-0", "harfbuzz-subset", "harfbuzz-subset-0.0", "libharfbuzz-subset.so.0",
    "libharfbuzz-vector-0", "harfbuzz-vector", "harfbuzz-vector-0.0",
    "libfontconfig-1", "fontconfig-1", "fontconfig", "libfontconfig.so.1",
    "libpangoft2-1.0-0", "pangoft2-1.0-0", "pangoft2-1.0", "libpangoft2-1.0.so.0",
)  # fmt: skip


def test_answers_are_find_librarys_for_the_libraries_the_cache_lists():
    find = linker_cache_finder()
    for name in NAMES:
        ours, theirs = find(name), ctypes.util.find_library(name)
        if ours is not None:
            assert ours == theirs, name
        else:  # not in the cache: find_library (gcc, ld) finds nothing either on a normal install
            assert theirs is None, name
    assert find("pango-1.0") == "libpango-1.0.so.0"


def test_weasyprint_imports_with_one_ldconfig_run_and_no_compiler():
    code = (
        "import subprocess, sys\n"
        "runs = []\n"
        "real = subprocess.Popen.__init__\n"
        "def init(self, args, *a, **k):\n"
        "    runs.append(args[0] if isinstance(args, (list, tuple)) else args)\n"
        "    real(self, args, *a, **k)\n"
        "subprocess.Popen.__init__ = init\n"
        "from bulletin.print.jobs import setup_process\n"
        "setup_process()\n"
        "import weasyprint.text.ffi as ffi\n"
        "assert ffi.pango is not None and ffi.harfbuzz is not None\n"
        "print(runs)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['/sbin/ldconfig']", done.stdout
