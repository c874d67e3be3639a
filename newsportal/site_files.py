"""Where the site's templates, static files and migrations are, installed or in a checkout.

A built wheel carries them inside the package (setup.py maps the repository's top-level folders
to `newsportal/templates`, ...); a checkout, and the editable install that imports it, has them
at the top level beside the package.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent  # the repository, when the package is imported from one
INSTALLED = (PACKAGE / "templates").is_dir()


def site_folder(name: str) -> Path:
    """`templates`, `static` or `migrations`, wherever this copy of the package keeps them."""
    return PACKAGE / name if INSTALLED else CHECKOUT / name


def default_instance_path() -> str | None:
    """instance/ in a checkout; installed, Flask's default: `<venv>/var/newsportal-instance`."""
    return None if INSTALLED else str(CHECKOUT / "instance")
