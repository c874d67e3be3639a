"""`flask --app newsportal ...` commands, a module per group.

Each group's module is imported when the group runs (or `flask --help` lists it), never by
create_app: the demo brings Pillow, fpdf2 and PyYAML, the importer python-frontmatter, and
Flask-Migrate all of Alembic, some 60 MB a web worker would carry and never use.
"""

from __future__ import annotations

import importlib
from functools import cached_property
from typing import Any

import click
from flask import Flask

GROUPS = {
    "users": "newsportal.cli.users:users",
    "demo": "newsportal.cli.demo:demo",
    "articles": "newsportal.cli.content:articles",
    "comments": "newsportal.cli.content:comments",
    "search": "newsportal.cli.content:search",
    "backup": "newsportal.cli.backup:backup",
    "storage": "newsportal.cli.storage:storage",
    "personal-data": "newsportal.cli.personal_data:group",
    "mail": "newsportal.cli.mail:group",
    "readership": "newsportal.cli.readership:readership",
    "db": "flask_migrate.cli:db",  # Flask-Migrate's own group: `flask db upgrade` ...
}


class LazyGroup(click.Command):
    """Stands in for the group at `target` ("module:attribute") until click needs it. Click
    parses and runs a subcommand through the context that command makes, so handing that over
    to the real group is all it takes: its options, its subcommands and its help are its own."""

    def __init__(self, name: str, target: str) -> None:
        super().__init__(name)
        self.target = target

    @cached_property
    def group(self) -> click.Command:
        module, attribute = self.target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        return self.group.make_context(info_name, args, parent=parent, **extra)

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.group.get_short_help_str(limit)


def register(app: Flask) -> None:
    for name, target in GROUPS.items():
        app.cli.add_command(LazyGroup(name, target))
