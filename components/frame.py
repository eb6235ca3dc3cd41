"""The phone shell: header, content column, bottom navigation, elder mode."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from components import session, theme
from domain.i18n import t
from domain.permissions import ANONYMOUS, Principal

NAV = (  # (key, label, icon, path)
    ('home', '首页', 'home', '/'),
    ('issues', '议题', 'campaign', '/issues'),
    ('meetings', '议事', 'groups', '/meetings'),
    ('votes', '表决', 'how_to_vote', '/votes'),
    ('projects', '办事', 'construction', '/projects'),
    ('me', '我的', 'person', '/me'),
)


def apply_shell_style() -> None:
    ui.colors(**theme.COLORS)
    ui.add_head_html('<link rel="stylesheet" href="/assets/app.css">')
    # installable app (pages/pwa.py): manifest, colours, home-screen icon, and the service worker, which
    # browsers only offer on secure origins (https, localhost): elsewhere it quietly stays off
    ui.add_head_html(
        '<link rel="manifest" href="/manifest.webmanifest">'
        f'<meta name="theme-color" content="{theme.PRIMARY}">'
        '<link rel="apple-touch-icon" href="/assets/icons/maskable-192.png">'
        '<script>if ("serviceWorker" in navigator) { window.addEventListener("load", function () {'
        ' navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function (e) {'
        ' console.warn("共商: service worker not registered:", e && e.message); }); }); }</script>')
    ui.query('body').classes('gs-body')
    if session.elder_mode():
        ui.query('body').classes('elder')


@contextmanager
def frame(title: str, *, user: Principal = ANONYMOUS, active: str | None = None, back: str | None = None,
          nav: bool = True) -> Iterator[ui.column]:
    """Draw the header and bottom navigation around the page's content column."""
    apply_shell_style()
    with ui.header(elevated=True).classes('gs-header items-center px-2 py-1 bg-primary'):
        if back:
            ui.button(icon='arrow_back', on_click=lambda: ui.navigate.to(back)) \
                .props(f'flat round color=white aria-label="{t("返回")}"')
        ui.label(title).classes('gs-title text-white text-xl font-bold grow truncate')
        if user.has_work_role:
            ui.button(icon='admin_panel_settings', on_click=lambda: ui.navigate.to('/admin')) \
                .props(f'flat round color=white aria-label="{t("管理")}"').mark('admin-entry')
    with ui.column().classes(f'gs-content w-full {theme.PAGE_MAX_WIDTH} mx-auto p-3 gap-3') as content:
        yield content
    if nav:
        with ui.footer().classes('gs-nav bg-white p-0'):
            with ui.row().classes('w-full justify-around no-wrap gap-0'):
                for key, label, icon, path in NAV:
                    selected = key == active
                    with ui.link(target=path).classes(
                            'gs-nav-item flex flex-col items-center no-underline grow py-1'
                            + (' text-primary font-bold' if selected else ' text-grey-8')) \
                            .props(f'aria-label="{t(label)}"' + (' aria-current="page"' if selected else '')):
                        ui.icon(icon).classes('text-2xl')
                        ui.label(t(label)).classes('text-sm')


def empty_state(text: str, icon: str = 'inbox') -> None:
    with ui.column().classes('w-full items-center text-grey-7 py-8'):
        ui.icon(icon).classes('text-5xl')
        ui.label(text).classes('text-lg text-center')


def error_banner(text: str) -> ui.label:
    return ui.label(text).classes('gs-error text-negative text-base').props('role=alert')
