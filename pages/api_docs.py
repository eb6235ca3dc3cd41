"""/docs: the OpenAPI documentation (Swagger UI) served from our own files, so it works on a LAN without internet.

FastAPI's own /docs and /redoc load their JavaScript from a CDN. These routes are added before ui.run() lets
FastAPI add its own, and the first matching route wins.
"""
from __future__ import annotations

from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from nicegui import app

VENDOR = '/assets/vendor/swagger-ui'


async def docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=app.openapi_url or '/openapi.json', title=f'{app.title} — docs',
        swagger_js_url=f'{VENDOR}/swagger-ui-bundle.js', swagger_css_url=f'{VENDOR}/swagger-ui.css',
        swagger_favicon_url='/assets/icons/icon-192.png',
        swagger_ui_parameters={'validatorUrl': None},  # the default validator is an outside web service
    )


async def redoc() -> RedirectResponse:
    """ReDoc would need another CDN script; one offline documentation page is enough."""
    return RedirectResponse('/docs', status_code=307)


def register() -> None:
    app.add_api_route('/docs', docs, include_in_schema=False)
    app.add_api_route('/redoc', redoc, include_in_schema=False)
