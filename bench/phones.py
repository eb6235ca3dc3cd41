"""A load generator that acts like real phones on a NiceGUI page (shared by the benchmarks).

A phone GETs the page, reads the socket.io query NiceGUI rendered into it (client id, next message id), opens
the same socket.io connection `nicegui.js` opens (path /_nicegui_ws/socket.io, websocket transport, implicit
handshake with a document id and tab id), acknowledges messages every 3 s like the browser, and records when
a message containing a given text arrives. A signed-in phone carries a NiceGUI session cookie: `session_cookie`
signs one the way Starlette's SessionMiddleware does, for a user storage file written before the server starts.
"""
from __future__ import annotations

import asyncio
import base64
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import itsdangerous
import socketio

_QUERY = re.compile(r"""['"]client_id['"]:\s*['"]([0-9a-f-]+)['"].*?['"]next_message_id['"]:\s*(\d+)""", re.S)


def session_cookie(secret: str, session_id: str) -> str:
    """The `session` cookie value that names NiceGUI user storage `session_id` (as SessionMiddleware signs it)."""
    data = base64.b64encode(json.dumps({'id': session_id}).encode())
    return itsdangerous.TimestampSigner(secret).sign(data).decode()


def write_user_storage(storage_dir: Path, session_id: str, values: dict) -> None:
    """What `app.storage.user` holds for that session when the server first reads it (e.g. a signed-in account)."""
    storage_dir.mkdir(parents=True, exist_ok=True)
    (storage_dir / f'storage-user-{session_id}.json').write_text(json.dumps(values), encoding='utf-8')


@dataclass
class Phone:
    base: str
    path: str
    cookie: str | None = None
    watch: str | None = None  # a text whose arrival is timed (see `seen`)
    seen: dict[str, float] = field(default_factory=dict)  # watched text → monotonic time of its first arrival
    received: int = 0
    last_text: str = ''  # the last message that held a watched pattern's prefix (for diagnosing a phone that lags)
    _sio: socketio.AsyncClient | None = None
    _http: aiohttp.ClientSession | None = None
    _client_id: str = ''
    _next_message_id: int = 0
    _acker: asyncio.Task | None = None

    async def open(self, http: aiohttp.ClientSession) -> None:
        self._http = http
        headers = {'Cookie': f'session={self.cookie}'} if self.cookie else {}
        async with http.get(self.base + self.path, headers=headers) as response:
            response.raise_for_status()
            html = await response.text()
        match = _QUERY.search(html)
        if match is None:
            raise RuntimeError(f'no NiceGUI client in {self.path}')
        self._client_id, self._next_message_id = match.group(1), int(match.group(2))
        self._sio = socketio.AsyncClient(reconnection=False, http_session=http, ssl_verify=False)
        self._sio.on('*', self._on_message)
        query = (f'client_id={self._client_id}&next_message_id={self._next_message_id}&implicit_handshake=true'
                 f'&document_id={uuid.uuid4()}&tab_id={uuid.uuid4()}')
        await self._sio.connect(f'{self.base}?{query}', headers=headers, transports=['websocket'],
                                socketio_path='/_nicegui_ws/socket.io', wait_timeout=30)
        self._acker = asyncio.get_running_loop().create_task(self._ack_loop())

    async def _on_message(self, event: str, data: object = None) -> None:
        self.received += 1
        if isinstance(data, dict) and isinstance(data.get('_id'), int):  # NiceGUI 3 numbers its messages in '_id'
            self._next_message_id = max(self._next_message_id, data['_id'] + 1)
        if self.watch is not None:
            text = json.dumps(data, ensure_ascii=False)
            prefix = self.watch.split('|')[0][:3]
            if prefix and prefix in text:
                self.last_text = text[text.index(prefix):text.index(prefix) + 40]
            for wanted in self.watch.split('|'):
                if wanted and wanted in text and wanted not in self.seen:
                    self.seen[wanted] = time.monotonic()

    async def _ack_loop(self) -> None:
        while self._sio is not None and self._sio.connected:
            await asyncio.sleep(3)
            try:
                await self._sio.emit('ack', {'client_id': self._client_id, 'next_message_id': self._next_message_id})
            except socketio.exceptions.SocketIOError:
                return

    @property
    def connected(self) -> bool:
        return self._sio is not None and self._sio.connected

    async def emit_event(self, element_id: int, event_type: str, args: object = None) -> None:
        """What a tap sends: NiceGUI's 'event' message for one element's listener."""
        await self._sio.emit('event', {'id': element_id, 'client_id': self._client_id, 'type': event_type,
                                       'args': args})

    async def close(self) -> None:
        if self._acker is not None:
            self._acker.cancel()
        if self._sio is not None and self._sio.connected:
            await self._sio.disconnect()


def rss_kb(pid: int) -> int:
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1])
    return 0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float('nan')
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)
