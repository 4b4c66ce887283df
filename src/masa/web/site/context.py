"""Template context: the signed-in user's role, for navigation."""

from masa.web.accounts.access import role_of


def roles(request):
    return {"role": role_of(getattr(request, "user", None))}
