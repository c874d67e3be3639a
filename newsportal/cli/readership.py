"""`flask readership flush`: write the buffered view counts now, not at the next beacon's turn.

Useful with Redis (REDIS_URL), whose counts every server shares; without it each process counts
in its own memory, which this command's process cannot see.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..readership import buffer, services

readership = AppGroup("readership", help="The most-read counts behind the sidebar's block.")


@readership.command("flush")
def flush_command() -> None:
    """Add the buffered views to the database now."""
    written = services.flush(buffer.current())
    click.echo(f"views written for {written} articles")
