"""File downloads (Excel, CSV, posters): sign-in first, the working community, refusals as plain text, and headers
that carry a Chinese file name with an ASCII fallback for browsers that ignore `filename*`."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response

from components import admin, session
from components.signin import login_redirect
from domain.errors import DomainError
from domain.permissions import Principal

MEDIA_TYPES = {  # by the extension of the fallback name
    'xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'csv': 'text/csv; charset=utf-8',
    'png': 'image/png',
    'pdf': 'application/pdf',
}

File = tuple[str, bytes]  # the name people see, and the contents


async def download(make: Callable[[Principal], Awaitable[File]], *, back: str, fallback: str, inline: bool = False,
                   otherwise: int = 404) -> Response:
    """The file `make(user)` returns; a visitor is sent to sign in, coming back to `back`.

    A DomainError is answered with its message: 403 for 'forbidden', else `otherwise` (404 where the thing asked
    for may be missing, 400 where the request itself may be wrong).
    """
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(back)
    try:
        name, data = await make(user)
    except DomainError as e:
        return PlainTextResponse(e.message, status_code=403 if e.code == 'forbidden' else otherwise)
    return file_response(data, name=name, fallback=fallback, inline=inline)


async def community_download(action: str, make: Callable[[Principal, int], Awaitable[File]], *, back: str,
                             fallback: str, request: Request | None = None,
                             otherwise: int = 404) -> Response:
    """`download` of `make(user, community_id)` in the working community where the user may do `action`, else 403.

    With `request`, its `?community=` picks one of the user's communities (a link from a screen showing that one).
    """
    wanted = request.query_params.get('community', '') if request is not None else ''

    async def in_community(user: Principal) -> File:
        community_id = admin.working_community(user, action, prefer=int(wanted) if wanted.isdecimal() else None)
        if community_id is None:
            raise DomainError('forbidden', '没有权限进行此操作')
        return await make(user, community_id)

    return await download(in_community, back=back, fallback=fallback, otherwise=otherwise)


def file_response(data: bytes, *, name: str, fallback: str, inline: bool = False) -> Response:
    """`data` as the file `name`, shown in place (`inline`) or saved; never cached, since most files are private."""
    disposition = 'inline' if inline else 'attachment'
    return Response(data, media_type=MEDIA_TYPES[fallback.rsplit('.', 1)[-1]], headers={
        'Content-Disposition': f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}",
        'Cache-Control': 'no-store'})
