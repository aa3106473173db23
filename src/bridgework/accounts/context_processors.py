"""Template context shared by every page."""

from bridgework.accounts.models import Role


def viewer(request):
    user = getattr(request, "user", None)
    roles = user.roles if user is not None and user.is_authenticated else frozenset()
    return {"viewer_roles": roles, "Role": Role}
