"""Template context: the signed-in user's role, the partnership the page is about, and the
partnerships the person can switch to."""

from django.urls import get_script_prefix

from masa.web.accounts.access import partnerships_of, role_of


def roles(request):
    user = getattr(request, "user", None)
    current = getattr(request, "partnership", None)
    switch = []
    if getattr(user, "is_authenticated", False):
        from masa.web.partnerships import stored

        names = stored()
        switch = [{"code": c, "name": names.get(c, c), "current": current is not None and c == current.code}
                  for c in partnerships_of(user)]
    return {"role": role_of(user), "partnership": current, "switch_to": switch if len(switch) > 1 else [],
            # the page's partnership prefix ("/luton" or ""): a hard-coded link or form written
            # "{{ here }}/returns/..." stays in the partnership of the page it is on, whichever
            # partnership another tab has since made current
            "here": get_script_prefix().rstrip("/")}
