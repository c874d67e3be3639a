from __future__ import annotations

from ..forms import Form


class UnsubscribeForm(Form):
    """The confirm button. No CSRF token: the signed link is the authority, a mail client's
    one-click POST (RFC 8058) carries none, and all it can do is turn emails off."""

    class Meta:
        csrf = False
