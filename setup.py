"""Build hooks: the wheel carries the site's top-level folders and its compiled catalogues.

`templates/`, `static/` and `migrations/` stay at the top of the repository (the design card's
layout); a built wheel or sdist maps them into the package as `newsportal/templates`, ... so an
installed site needs no checkout. The `.mo` catalogues are compiled here, from the `.po` files,
so nobody has to remember: into the wheel, into the sdist, and, for `pip install -e .`, in place
beside the `.po` files, where the editable install reads them. Everything else is pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

SITE_FOLDERS = ("templates", "static", "migrations")
CATALOGUES = Path("newsportal", "translations")
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.py[cod]")


def compile_catalogues(source: Path, target: Path) -> None:
    """Every `<lang>/LC_MESSAGES/*.po` under source as a `.mo` under target; a broken one stops."""
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as file:
            catalog = read_po(file, locale=po.parts[-3])
        problems = [f"{message.id!r}: {error}" for message, errors in catalog.check()
                    for error in errors]  # fmt: skip
        if problems:
            raise SystemExit(f"{po}: " + "; ".join(problems))
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        # sdist hard-links the release tree to the sources: replace the file, never write into it
        mo.unlink(missing_ok=True)
        with mo.open("wb") as file:
            write_mo(file, catalog)


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            # The editable install imports the checkout itself: the folders are found at the top
            # level there (newsportal/site_files.py), the catalogues are compiled beside the .po.
            compile_catalogues(CATALOGUES, CATALOGUES)
            return
        package = Path(self.build_lib, "newsportal")
        for name in SITE_FOLDERS:
            shutil.copytree(name, package / name, ignore=LEFT_OUT, dirs_exist_ok=True)
        compile_catalogues(CATALOGUES, package / "translations")


class Sdist(sdist):
    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        compile_catalogues(CATALOGUES, Path(base_dir, CATALOGUES))


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
