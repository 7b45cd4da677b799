"""Packaging hook: ship this repository's templates/ inside the wheel as bulletin/default_templates/.

Editable installs (`pip install -e .`, what `make` does) read templates/ directly; see
bulletin/templating.py:default_templates_dir.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithTemplates(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        src = Path(__file__).parent / "templates"
        dest = Path(self.build_lib) / "bulletin" / "default_templates"
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(src, dest)


setup(cmdclass={"build_py": BuildWithTemplates})
