"""The project's site poster for staff: /projects/{id}/poster shows it with download buttons and lets staff retire
every printed copy (作废旧海报); /projects/{id}/poster.png and .pdf are the files (permission project.manage)."""
from __future__ import annotations

from fastapi.responses import RedirectResponse, Response
from nicegui import app, ui
from starlette.requests import Request

from components import session
from components.admin import no_permission, not_found, problem_label, show_problem
from components.confirm import confirm
from components.downloads import download
from components.frame import frame
from components.signin import login_redirect
from domain.errors import DomainError
from domain.i18n import t
from domain.permissions import can
from services import board, codes, site_posters
from services.project_moves import get_project


async def poster_page(project_id: int) -> RedirectResponse | None:
    user = await session.current_user()
    if not user.is_authenticated:
        return login_redirect(f'/projects/{int(project_id)}/poster')
    back = f'/projects/{int(project_id)}'
    try:
        project = await get_project(project_id)
    except DomainError as e:
        with frame(t('公开栏海报'), user=user, back='/projects'):
            not_found(e.message)
        return None
    with frame(t('公开栏海报'), user=user, back=back):
        if not can(user, 'project.manage', project):
            no_permission()
            return None
        ui.label(project.title).classes('text-xl font-bold break-all')
        ui.label(t('打印后贴在施工现场：居民扫码就能看到进度、经费，完工后直接评价。')).classes('gs-muted')
        problem = problem_label()

        @ui.refreshable
        async def preview() -> None:
            fresh = await get_project(project_id)
            # the version in the address makes the browser fetch the new poster after 作废旧海报
            ui.image(f'/projects/{int(project_id)}/poster.png?v={int(fresh.qr_version)}') \
                .classes('w-full border rounded').props(f'fit=contain alt="{t("公开栏海报")}"').mark('poster-preview')

        await preview()
        with ui.row().classes('w-full no-wrap gap-2'):
            for fmt in ('png', 'pdf'):
                url = f'/projects/{int(project_id)}/poster.{fmt}'
                ui.button(t('下载 {format}', format=fmt.upper()), icon='download',
                          on_click=lambda url=url: ui.download.from_url(url)) \
                    .classes('grow text-lg').mark(f'poster-{fmt}')
        ui.link(t('打开公开栏'), f'/board/project/{int(project_id)}').classes('text-lg').mark('poster-board')

        async def revoke() -> None:
            question = t('作废后，已经贴出的旧海报扫码时会提示“海报已更换”，需要打印新海报贴上。确定作废吗？')
            if not await confirm(question, ok=t('作废旧海报')):
                return
            try:
                await board.revoke_poster(user, project_id)
            except DomainError as e:
                show_problem(problem, e)
                return
            show_problem(problem, None)
            ui.notify(t('旧海报已作废，请打印新海报'), type='positive')
            preview.refresh()

        ui.button(t('作废旧海报'), icon='block', on_click=revoke).props('flat color=negative') \
            .classes('text-lg').mark('poster-revoke')
    return None


async def poster_png(request: Request, project_id: int) -> Response:
    return await _poster(request, project_id, 'png')


async def poster_pdf(request: Request, project_id: int) -> Response:
    return await _poster(request, project_id, 'pdf')


async def _poster(request: Request, project_id: int, fmt: str) -> Response:
    """The poster file for people who may manage the project; a login redirect for nobody, 403/404 otherwise."""
    base, number = codes.public_base(str(request.base_url)), int(project_id)
    return await download(lambda user: site_posters.poster_for(user, project_id, base, fmt=fmt),
                          back=f'/projects/{number}/poster', fallback=f'project-{number}-poster.{fmt}', inline=True)


def register() -> None:
    ui.page('/projects/{project_id}/poster', title='共商')(poster_page)
    app.get('/projects/{project_id}/poster.png', include_in_schema=False)(poster_png)
    app.get('/projects/{project_id}/poster.pdf', include_in_schema=False)(poster_pdf)
