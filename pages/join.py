"""/join/{token}: self-registration from the community's printed poster; staff verify afterwards."""
from __future__ import annotations

from nicegui import ui

from components import session
from components.frame import error_banner, frame
from components.signin import phone_input, pin_input
from domain.errors import DomainError
from domain.i18n import t
from domain.people import RELATIONS
from services import auth, codes


async def join(token: str) -> None:
    user = await session.current_user()
    with frame(t('居民登记'), user=user, active='me', nav=False):
        try:
            community = await codes.join_community(token)
        except DomainError as e:
            error_banner(e.message).classes('text-lg')
            return
        places = await auth.join_places(community.id)
        ui.label(t('欢迎加入{community}', community=community.name)).classes('text-2xl font-bold')
        ui.label(t('填好下面的信息，社区工作人员核对后即可参与议事和表决。')).classes('gs-muted text-lg')
        form = ui.column().classes('w-full gap-3')
        with form:
            name = ui.input(t('姓名')).classes('w-full text-xl').props('outlined maxlength=40 autocomplete=name') \
                .mark('join-name')
            phone = phone_input().mark('join-phone')
            birth_year = ui.input(t('出生年份，例如 1956')).classes('w-full text-xl') \
                .props('outlined inputmode=numeric maxlength=4').mark('join-birth-year')
            compound = building = None
            if places:
                buildings_of = {cid: dict(blist) for cid, _, blist in places}
                compound = ui.select({cid: cname for cid, cname, _ in places}, label=t('小区')) \
                    .classes('w-full text-xl').props('outlined').mark('join-compound')
                building = ui.select({}, label=t('楼栋')).classes('w-full text-xl').props('outlined') \
                    .mark('join-building')

                def compound_changed() -> None:
                    building.set_options(buildings_of.get(compound.value, {}), value=None)

                compound.on_value_change(compound_changed)
            room = ui.input(t('房号，例如 2单元502') if places else t('住址，例如 张家湾 12 号')) \
                .classes('w-full text-xl').props('outlined maxlength=20').mark('join-room')
            relation = ui.radio({key: t(label) for key, label in RELATIONS.items()}, value='owner') \
                .props('inline').classes('text-lg').mark('join-relation')
            pin = pin_input('设置 6 位数字密码', new=True).mark('join-pin')
            again = pin_input('再输入一次', new=True).mark('join-pin-again')
            ui.label(t('以后用手机号和这个数字密码登录。')).classes('gs-muted')
            error = error_banner('').mark('join-error')

            async def submit() -> None:
                if (pin.value or '') != (again.value or ''):
                    error.set_text(t('两次输入的数字密码不一样'))
                    return
                button.disable()
                try:
                    account = await auth.register_self(
                        token, name.value, phone.value, birth_year.value, compound.value if compound else None,
                        building.value if building else None, room.value, pin.value or '', relation=relation.value)
                except DomainError as e:
                    error.set_text(e.message)
                    button.enable()
                    return
                session.sign_in(account.id, elder_mode=account.elder_mode, language=account.language)
                form.clear()
                with form:
                    _done()

            button = ui.button(t('提交'), icon='send', on_click=submit).classes('w-full text-xl').mark('join-submit')


def _done() -> None:
    with ui.card().classes('gs-card items-center'):
        ui.icon('task_alt').classes('text-6xl text-positive')
        ui.label(t('已提交，等待社区核验')).classes('text-2xl font-bold text-center')
        ui.label(t('核验通过前，您可以先看看社区的议题。')).classes('gs-muted text-center')
        ui.button(t('回到首页'), on_click=lambda: ui.navigate.to('/')).classes('w-full text-lg')


def register() -> None:
    ui.page('/join/{token}')(join)
