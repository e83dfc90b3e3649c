"""The administrator's routes, for the authorization matrix: each admin area lists its own here.

Paths are under ``/a/<slug>/admin`` and may name ``{user}`` (a Lancashire social worker's user id)
and ``{setting}`` (a school with children of both authorities) from the matrix's world.
"""

from __future__ import annotations

#: endpoint -> path of a page only the authority's administrators may open.
ADMIN_PAGES: dict[str, str] = {
    "admin.overview": "/",
}

#: endpoint -> (path, form data) of a change only the authority's administrators may make. The
#: matrix posts each as every other role, and as another authority's administrator, and checks
#: that nothing changes.
ADMIN_POSTS: dict[str, tuple[str, dict[str, str]]] = {}
