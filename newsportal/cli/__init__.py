"""`flask --app newsportal ...` commands, a module per group."""

from __future__ import annotations

from flask import Flask

from .backup import backup
from .content import articles, comments, search
from .demo import demo
from .mail import group as mail
from .personal_data import group as personal_data
from .readership import readership
from .storage import storage
from .users import users


def register(app: Flask) -> None:
    for group in (
        users,
        demo,
        articles,
        comments,
        search,
        backup,
        storage,
        personal_data,
        mail,
        readership,
    ):
        app.cli.add_command(group)
