"""`flask mail send [--loop]`: send the outbox's due emails (deploy/'s timer runs it each minute).

Safe to run on every machine at once: each row is claimed before it is sent (mail/outbox.py).
"""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..mail import services

group = AppGroup("mail", help="Outgoing email: send what the outbox holds.")


def _run_once() -> services.Report:
    config = current_app.config
    report = services.send_due(int(config["MAIL_BATCH"]), int(config["MAIL_RETRY_MAX_MINUTES"]))
    db.session.remove()  # nothing held between runs: the loop may run for weeks
    return report


@group.command("send")
@click.option("--loop", is_flag=True, help="Keep sending, every MAIL_LOOP_SECONDS, until stopped.")
def send_command(loop: bool) -> None:
    """Send every due email; a failed one is kept and retried later, with a growing pause."""
    while True:
        report = _run_once()
        line = f"sent {report.sent}, failed {report.failed}"
        if report.unreachable:
            line += " (the mail server could not be reached: the rest wait for the next run)"
        click.echo(line, err=report.failed > 0)
        if not loop:
            if report.unreachable:
                raise SystemExit(1)
            return
        time.sleep(float(current_app.config["MAIL_LOOP_SECONDS"]))
