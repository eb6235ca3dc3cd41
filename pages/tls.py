"""/tls/gongshang-lan.crt: the public half of the generated LAN certificate, for staff to install on phones."""
from __future__ import annotations

from fastapi import HTTPException
from fastapi.responses import FileResponse
from nicegui import app

from services import config, tls


async def certificate() -> FileResponse:
    path = config.current().data_dir / tls.CERT_NAME
    if not path.is_file():  # plain HTTP, or a certificate the deployment brought itself
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type='application/x-x509-ca-cert', filename=tls.CERT_NAME)


def register() -> None:
    app.add_api_route(f'/tls/{tls.CERT_NAME}', certificate, methods=['GET'], include_in_schema=False)
