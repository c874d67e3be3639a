"""What a staff password must be: long, and not one that guessing tools try early."""

from __future__ import annotations

MIN_LENGTH = 12
MAX_LENGTH = 1024  # scrypt hashes anything, but a megabyte "password" is only load
# zxcvbn (which reads at most 72 characters) scores 0-4 by the guesses an attacker would need;
# 3 is about 10^8, what its authors call safe against online guessing, which the throttle slows.
MIN_SCORE = 3
# Guessing lists are English; add the words everyone here would try first.
LOCAL_WORDS = ("matkhau", "dongthap", "congthongtin", "quantri", "bientap", "kiemduyet", "admin")


def password_problem(password: str, *personal: str) -> str | None:
    """Why this password is refused (a code auth.forms.ACCOUNT_ERRORS words), or None."""
    if len(password) < MIN_LENGTH:
        return "password_short"
    if len(password) > MAX_LENGTH:
        return "password_long"
    # Imported here: its dictionaries are some 12 MB in every worker, and only a password form
    # needs them.
    from zxcvbn import zxcvbn

    hints = [word for value in personal for word in value.replace("@", " ").split() if word]
    if zxcvbn(password[:72], user_inputs=[*hints, *LOCAL_WORDS])["score"] < MIN_SCORE:
        return "password_guessable"
    return None
