"""Photos picked on a form before it is sent: checked and re-encoded on arrival, shown as thumbnails, 删除 one by one.

ui.upload's size limit is enforced by the browser only, so the size is checked again here before the file is read
into memory; services.photos then re-encodes it, so the person hears at once (the service checks once more on
submit). Only the ProcessedPhoto is kept — the original bytes are dropped on arrival, and the thumbnail is a data: URL
of our own re-encoded JPEG, never of what the browser sent.
"""
from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from nicegui import events, ui

from components.admin import problem_label, show_problem
from domain import photos as photo_rules
from domain.errors import DomainError
from domain.i18n import t
from services import photos


@dataclass(frozen=True)
class Picked:
    """One photo as the form will send it: re-encoded, with its file name and, where the form asks, its tag."""
    photo: photos.ProcessedPhoto
    name: str
    tag: str | None
    url: str  # data: URL of the re-encoded JPEG, for the thumbnail


class PhotoPicker:
    """The upload button(s), a problem line and the thumbnails of the photos picked so far (`.photos`).

    `single`: one photo only (a receipt); a new one replaces it instead of being refused as one too many.
    `tags`: tag → caption, one upload button per tag (before / during / after): `label` is then a function of
    the caption, each button is marked `{marker}-{tag}` and each thumbnail shows its caption.
    The thumbnails are marked `{marker}-ready` while there are any.
    """

    def __init__(self, label: str | Callable[[str], str], *, marker: str, single: bool = False,
                 tags: Mapping[str, str] | None = None) -> None:
        self.photos: list[Picked] = []
        self.single = single
        self.marker = marker
        self.captions = dict(tags or {})
        if callable(label):  # one button per tag
            self.uploads = [self._upload(label(caption), f'{marker}-{tag}', tag)
                            for tag, caption in self.captions.items()]
        else:
            self.uploads = [self._upload(label, marker, None)]
        self.problem = problem_label()
        self.thumbnails = ui.refreshable(self._thumbnails)
        self.thumbnails()

    def clear(self) -> None:
        """Forget every photo picked so far (after the form was sent)."""
        self.photos.clear()
        for upload in self.uploads:
            upload.reset()
        self.thumbnails.refresh()

    def _upload(self, label: str, marker: str, tag: str | None) -> ui.upload:
        return ui.upload(label=label, multiple=not self.single, max_files=1 if self.single else None,
                         auto_upload=True, max_file_size=photo_rules.MAX_BYTES,
                         on_upload=lambda e: self._received(e, tag), on_rejected=self._rejected) \
            .props('accept="image/*" flat bordered').classes('w-full').mark(marker)

    def _thumbnails(self) -> None:
        if not self.photos:
            return
        if not self.single:
            ui.label(t('已选 {n} 张', n=len(self.photos))).classes('gs-muted').mark('photo-count')
        with ui.row().classes('w-full gap-2').mark(f'{self.marker}-ready'):
            for index, picked in enumerate(self.photos):
                with ui.column().classes('items-center gap-0'):
                    ui.image(picked.url).classes('w-24 h-24 rounded').props('fit=cover')
                    if picked.tag is not None:
                        ui.label(self.captions[picked.tag]).classes('text-base')
                    ui.button(t('删除'), on_click=lambda _e, i=index: self._remove(i)) \
                        .props('flat dense color=negative').classes('text-base')

    async def _received(self, event: events.UploadEventArguments, tag: str | None) -> None:
        upload, file = event.sender, event.file
        try:
            self._check_room()
            photo_rules.check_size(file.size(), filename=file.name)  # before reading it into memory
            checked = await photos.process_async(await file.read(), filename=file.name)
            self._check_room()  # again: several photos of one pick arrive side by side
        except DomainError as e:
            show_problem(self.problem, e)
            return
        finally:
            if self.single:  # q-uploader would refuse the next pick while this one is listed (max-files=1)
                upload.reset()
        show_problem(self.problem, None)
        url = 'data:image/jpeg;base64,' + base64.b64encode(checked.jpeg).decode()  # our own re-encoded bytes
        picked = Picked(checked, file.name, tag, url)  # the original is dropped here
        self.photos[:] = [picked] if self.single else [*self.photos, picked]
        self.thumbnails.refresh()

    def _check_room(self) -> None:
        if not self.single:
            photos.check_count(len(self.photos), 1)

    def _rejected(self) -> None:
        show_problem(self.problem, photo_rules.too_large())

    def _remove(self, index: int) -> None:
        if 0 <= index < len(self.photos):
            del self.photos[index]
        self.thumbnails.refresh()
