"""One place that decides whether a new password is acceptable: Django's validators, as
configured in settings (length, common passwords, similarity to the user, all digits)."""

from __future__ import annotations


def password_problems(password: str, username: str) -> list[str]:
    """Every reason the password is refused for this user, in plain words; [] if it is fine."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username, email=username)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []
