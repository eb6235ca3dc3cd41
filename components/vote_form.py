"""The vote definition form (/votes/new, /votes/{id}/edit): every choice of domain.votes.Definition on a phone, with
the roll it would reach and the chosen rule in plain words (and its legal source) while the organiser decides."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from nicegui import ui

from components.admin import problem_label, show_problem
from domain import votes as rules
from domain.errors import DomainError
from domain.i18n import t
from domain.meetings import LOCAL
from domain.permissions import Principal
from domain.tally import PRESETS, RULE_LABELS, Threshold
from services import audit, electorate, issue_views, meeting_views
from services.votes import VoteDraft

CUSTOM = 'custom'
NO_MEETING = 0


@dataclass
class Start:
    """What the form shows first: a saved draft (editing), or a title and text from an outcome, or the defaults."""
    title: str = ''
    description: str = ''
    outcome_id: int | None = None
    draft: VoteDraft | None = None


@dataclass
class _Fraction:
    """Inputs of one custom threshold: n/d, 以上 or 过半数, and (turnout only) none at all."""
    num: ui.number
    den: ui.number
    strict: ui.toggle
    none: ui.checkbox | None = None

    def value(self, what: str) -> Threshold | None:
        if self.none is not None and self.none.value:
            return None
        num, den = _whole(self.num.value), _whole(self.den.value)
        if num is None or den is None or den <= 0 or num < 0:
            raise DomainError('invalid_fraction', '请把{what}填成分数，例如 2/3', what=what)
        return Threshold(Fraction(num, den), bool(self.strict.value))


def _whole(value: object) -> int | None:
    try:
        number = float(value)  # ui.number gives floats; only whole numbers are meant
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _local(value: datetime) -> datetime:
    return value.astimezone(LOCAL)


def moment(day: object, clock: object) -> datetime:
    """'2026-06-03' and '19:00' from the pickers as a local moment. Errors: invalid_times."""
    try:
        return datetime.combine(date.fromisoformat(str(day)), time.fromisoformat(str(clock)), LOCAL)
    except ValueError as e:
        raise DomainError('invalid_times', '请选择开始和截止的日期和时间') from e


def _threshold_inputs(label: str, start: Threshold | None, *, may_be_none: bool, none_ticked: bool,
                      marker: str) -> _Fraction:
    with ui.column().classes('w-full gap-1'):
        ui.label(label).classes('text-base font-bold')
        none = ui.checkbox(t('不设参与人数要求'), value=none_ticked).mark(f'{marker}-none') if may_be_none else None
        with ui.row().classes('w-full items-center no-wrap gap-1'):
            fraction = start.fraction if start is not None else Fraction(1, 2)
            num = ui.number(t('分子'), value=fraction.numerator, min=0, precision=0).props('outlined dense') \
                .classes('w-20').mark(f'{marker}-num')
            ui.label('/').classes('text-xl')
            den = ui.number(t('分母'), value=fraction.denominator, min=1, precision=0).props('outlined dense') \
                .classes('w-20').mark(f'{marker}-den')
            strict = ui.toggle({False: t('达到即可（以上）'), True: t('必须超过')},
                               value=start.strict if start is not None else True).props('no-caps dense') \
                .mark(f'{marker}-strict')
    return _Fraction(num, den, strict, none)


async def vote_form(user: Principal, community_id: int, start: Start,
                    submit: Callable[[VoteDraft], Awaitable[int]], *, save_label: str) -> None:
    """Draw the form; 保存 builds the draft and calls `submit(draft) -> vote id`, then opens the manage page.

    A refusal (from the service, or a number that is not one) shows next to the button and nothing is saved;
    a second tap while saving, or after saving, does nothing.
    """
    draft = start.draft
    d = draft.definition if draft is not None else None
    title = ui.input(t('表决事项'), value=d.title if d else start.title[:rules.TITLE_MAX]) \
        .props(f'outlined maxlength={rules.TITLE_MAX}').classes('w-full text-lg').mark('vote-title')
    description = ui.textarea(t('说明'), value=d.description if d else start.description) \
        .props(f'outlined autogrow maxlength={rules.DESCRIPTION_MAX}').classes('w-full text-base') \
        .mark('vote-description')
    ballot = _ballot_section(d)
    who = await _electorate_section(user, community_id, draft)
    rule = _rule_section(d, who.counting)
    where = await _channel_section(user, community_id, draft)
    when = _time_section(d)

    def collect() -> VoteDraft:
        places = who.electorate.value == 'places'
        definition = rules.Definition(
            title=title.value or '', description=description.value or '', **ballot.values(),
            electorate=who.electorate.value or 'community', counting=who.counting.value or 'person',
            **rule.values(), **where.values(), **when.values())
        return VoteDraft(definition=definition,
                         compound_ids=tuple(sorted(who.compounds)) if places else (),
                         building_ids=tuple(sorted(who.buildings)) if places else (),
                         onsite_meeting_id=where.meeting_id(),
                         outcome_id=draft.outcome_id if draft else start.outcome_id)

    problem = problem_label().mark('vote-problem')
    state = {'busy': False, 'saved': False}

    async def save() -> None:
        if state['busy'] or state['saved']:  # a double tap, or a tap while the page moves on: one vote
            return
        state['busy'] = True
        try:
            vote_id = await submit(collect())
        except DomainError as e:
            show_problem(problem, e)
            return
        finally:
            state['busy'] = False
        state['saved'] = True
        show_problem(problem, None)
        ui.notify(t('已保存'), type='positive')
        ui.navigate.to(f'/votes/{int(vote_id)}/manage')

    ui.button(save_label, icon='save', on_click=save).props('unelevated').classes('w-full text-xl').mark('vote-save')
    await who.show_roll()


@dataclass
class _Ballot:
    kind: ui.toggle
    options: list[str]
    max_choices: ui.number

    def values(self) -> dict:
        kind = self.kind.value or 'yes_no'
        return dict(ballot_type=kind, options=tuple(self.options) if kind != 'yes_no' else (),
                    max_choices=(_whole(self.max_choices.value) or 0) if kind == 'multiple' else 1)


def _ballot_section(d: rules.Definition | None) -> _Ballot:
    """赞成/反对/弃权, 单选 or 多选, with the option rows (added and removed) and k."""
    ui.label(t('怎么投')).classes('text-lg font-bold pt-2')
    kind = ui.toggle({k: t(v) for k, v in rules.BALLOT_TYPES.items()}, value=d.ballot_type if d else 'yes_no') \
        .props('spread no-caps').classes('w-full text-lg').mark('ballot-type')
    texts = list(d.options) if d and d.ballot_type != 'yes_no' else ['', '']
    with ui.column().classes('w-full gap-1') as box:
        @ui.refreshable
        def rows() -> None:
            for index, text in enumerate(texts):
                with ui.row().classes('w-full items-center no-wrap gap-1'):
                    ui.input(t('选项 {n}', n=index + 1), value=text,
                             on_change=lambda e, i=index: texts.__setitem__(i, e.value or '')) \
                        .props(f'outlined dense maxlength={rules.OPTION_MAX}').classes('grow text-lg') \
                        .mark(f'option-{index}')
                    ui.button(icon='remove_circle_outline', on_click=lambda _e, i=index: remove(i)) \
                        .props(f'flat round aria-label="{t("删除选项")}"').mark(f'option-remove-{index}')

        def add() -> None:
            texts.append('')
            rows.refresh()

        def remove(index: int) -> None:
            if 0 <= index < len(texts):
                texts.pop(index)
            rows.refresh()

        rows()
        ui.button(t('添加选项'), icon='add', on_click=add).props('outline').classes('text-base').mark('option-add')
        k = ui.number(t('最多选几项'), value=d.max_choices if d and d.ballot_type == 'multiple' else 2, min=1,
                      precision=0).props('outlined').classes('w-full text-lg').mark('max-choices')

    def shape() -> None:
        box.set_visibility(kind.value != 'yes_no')
        k.set_visibility(kind.value == 'multiple')

    kind.on_value_change(shape)
    shape()
    return _Ballot(kind, texts, k)


@dataclass
class _Electorate:
    electorate: ui.toggle
    counting: ui.select
    compounds: set[int]
    buildings: set[int]
    show_roll: Callable[[], Awaitable[None]]


async def _electorate_section(user: Principal, community_id: int, draft: VoteDraft | None) -> _Electorate:
    """全社区 / chosen compounds and buildings / 居民代表, the counting unit, and the roll they would give now."""
    d = draft.definition if draft else None
    ui.label(t('谁来投')).classes('text-lg font-bold pt-2')
    electorate_choice = ui.toggle({k: t(v) for k, v in rules.ELECTORATES.items()},
                                  value=d.electorate if d else 'community') \
        .props('spread no-caps').classes('w-full text-base').mark('electorate')
    places = await issue_views.places(user, community_id)
    compounds = set(draft.compound_ids if draft else ())
    buildings = set(draft.building_ids if draft else ())
    places_box = ui.column().classes('w-full gap-0 pl-2')
    counting = ui.select({k: t(v) for k, v in rules.COUNTINGS.items()}, value=d.counting if d else 'person',
                         label=t('计票方式')).props('outlined').classes('w-full text-lg').mark('counting')
    preview = ui.label('').classes('text-base text-primary font-bold').mark('roll-preview')
    ui.label(t('按户计票时每户一票；按业主计票时同时看人数和专有面积。')).classes('gs-muted text-sm')

    async def show_roll() -> None:
        try:
            roll = await electorate.preview_roll(
                community_id, electorate=electorate_choice.value or 'community', counting=counting.value or 'person',
                compound_ids=tuple(sorted(compounds)), building_ids=tuple(sorted(buildings)))
        except DomainError as e:
            preview.text = e.message
            return
        if counting.value == 'owner':  # area counts only for owners (民法典 §278: heads and exclusive area)
            preview.text = t('约 {n} 位业主，面积 {area} ㎡', n=roll.heads, area=area_m2(roll.area))
        elif counting.value == 'household':
            preview.text = t('约 {n} 户', n=roll.heads)
        else:
            preview.text = t('约 {n} 人', n=roll.heads)

    async def ticked(chosen: set[int], key: int, on: bool) -> None:
        (chosen.add if on else chosen.discard)(key)
        await show_roll()

    with places_box:
        if not places.compounds:
            ui.label(t('还没有录入小区和楼栋')).classes('gs-muted')
        for compound_id, name in places.compounds.items():
            ui.checkbox(name, value=compound_id in compounds,
                        on_change=lambda e, c=compound_id: ticked(compounds, c, e.value)) \
                .classes('text-lg').mark(f'compound-{compound_id}')
            with ui.row().classes('w-full gap-0 pl-8'):
                for building_id, building in places.buildings.get(compound_id, {}).items():
                    ui.checkbox(building, value=building_id in buildings,
                                on_change=lambda e, b=building_id: ticked(buildings, b, e.value)) \
                        .classes('text-base').mark(f'building-{building_id}')

    async def electorate_changed() -> None:
        places_box.set_visibility(electorate_choice.value == 'places')
        await show_roll()

    electorate_choice.on_value_change(electorate_changed)
    counting.on_value_change(show_roll)
    places_box.set_visibility(electorate_choice.value == 'places')
    return _Electorate(electorate_choice, counting, compounds, buildings, show_roll)


@dataclass
class _Rule:
    rule: ui.select
    turnout: _Fraction
    approval: _Fraction

    def values(self) -> dict:
        key = self.rule.value or ''
        custom = key == CUSTOM
        return dict(rule=key, custom_turnout=self.turnout.value(t('参与人数要求')) if custom else None,
                    custom_approval=self.approval.value(t('同意人数要求')) if custom else None)


def _rule_section(d: rules.Definition | None, counting: ui.select) -> _Rule:
    """The rule preset with what it requires in plain words and its legal source, or custom exact fractions."""
    ui.label(t('按什么规则')).classes('text-lg font-bold pt-2')
    rule_keys = {key: t(label) for key, label in RULE_LABELS.items()}
    rule = ui.select(rule_keys, value=d.rule if d and d.rule in rule_keys else 'simple_majority',
                     label=t('表决规则')).props('outlined').classes('w-full text-lg').mark('rule')
    rule_text = ui.label('').classes('text-base').mark('rule-text')
    rule_source = ui.label('').classes('gs-muted text-sm').mark('rule-source')
    with ui.column().classes('w-full gap-2') as custom_box:
        saved = d is not None and d.rule == CUSTOM
        turnout = _threshold_inputs(t('参与表决的人数要求（占全部）'), d.custom_turnout if saved else None,
                                    may_be_none=True, none_ticked=saved and d.custom_turnout is None,
                                    marker='turnout')
        approval = _threshold_inputs(t('同意的人数要求（占参与表决的）'), d.custom_approval if saved else None,
                                     may_be_none=False, none_ticked=False, marker='approval')

    def describe() -> None:
        key = rule.value or ''
        custom_box.set_visibility(key == CUSTOM)
        preset = PRESETS.get(key)
        if preset is None:
            rule_text.text, rule_source.text = t('按下面填写的比例计票。'), ''
            return
        try:
            rule_text.text = preset.describe(counting.value or 'person')
        except (DomainError, KeyError, ValueError):  # a counting this rule does not know: the service says so
            rule_text.text = ''
        rule_source.text = t('依据：{source}', source=preset.source) if preset.source else ''

    def rule_changed() -> None:
        preset = PRESETS.get(rule.value or '')
        if preset is not None and counting.value not in preset.countings:  # e.g. §278 counts owners and area
            counting.value = preset.countings[0]  # which redraws the words and the roll
        else:
            describe()

    rule.on_value_change(rule_changed)
    counting.on_value_change(describe)
    describe()
    return _Rule(rule, turnout, approval)


@dataclass
class _Channels:
    boxes: dict[str, ui.checkbox]
    meeting: ui.select
    principals: ui.number
    live: ui.toggle
    secret: ui.toggle
    allow_change: ui.checkbox

    def values(self) -> dict:
        return dict(channels=frozenset(k for k, box in self.boxes.items() if box.value),
                    max_principals=_whole(self.principals.value) or 0, results_live=bool(self.live.value),
                    secret=bool(self.secret.value), allow_change=bool(self.allow_change.value))

    def meeting_id(self) -> int | None:
        return (self.meeting.value or None) if self.boxes['onsite'].value else None


async def _channel_section(user: Principal, community_id: int, draft: VoteDraft | None) -> _Channels:
    """Online, on site at a meeting (checked-in people only), paper, proxy (k principals); live or hidden results,
    实名 or 无记名, changing one's ballot."""
    d = draft.definition if draft else None
    ui.label(t('在哪里投')).classes('text-lg font-bold pt-2')
    picked = set(d.channels) if d else {'online'}
    boxes = {key: ui.checkbox(t(label), value=key in picked).classes('text-lg').mark(f'channel-{key}')
             for key, label in rules.CHANNELS.items()}
    meetings = [m for m in await meeting_views.upcoming(user, community_id) if m.state != 'cancelled']
    meeting = ui.select({NO_MEETING: t('请选择现场投票的议事会'), **{m.id: m.title for m in meetings}},
                        value=(draft.onsite_meeting_id if draft and draft.onsite_meeting_id else NO_MEETING),
                        label=t('现场投票的议事会（只有已签到的人能投）')).props('outlined') \
        .classes('w-full text-lg').mark('onsite-meeting')
    principals = ui.number(t('一位受托人最多代几人投票'), value=d.max_principals if d else 3,
                           min=rules.PRINCIPALS[0], max=rules.PRINCIPALS[1], precision=0) \
        .props('outlined').classes('w-full text-lg').mark('max-principals')
    meeting.bind_visibility_from(boxes['onsite'], 'value')
    principals.bind_visibility_from(boxes['proxy'], 'value')

    ui.label(t('公开方式')).classes('text-lg font-bold pt-2')
    live = ui.toggle({True: t('实时公布结果'), False: t('截止后再公布')}, value=d.results_live if d else True) \
        .props('spread no-caps').classes('w-full text-base').mark('results-live')
    secret = ui.toggle({False: t('实名投票'), True: t('无记名投票')}, value=d.secret if d else False) \
        .props('spread no-caps').classes('w-full text-base').mark('secret')
    allow_change = ui.checkbox(t('截止前可以改票'), value=d.allow_change if d else False).classes('text-lg') \
        .mark('allow-change')
    return _Channels(boxes, meeting, principals, live, secret, allow_change)


@dataclass
class _Times:
    open_day: ui.input
    open_clock: ui.input
    close_day: ui.input
    close_clock: ui.input
    publicity: ui.number

    def values(self) -> dict:
        days = _whole(self.publicity.value)
        return dict(opens_at=moment(self.open_day.value, self.open_clock.value),
                    closes_at=moment(self.close_day.value, self.close_clock.value),
                    publicity_days=days if days is not None else 0)  # 0: the domain says how many are allowed


def _time_section(d: rules.Definition | None) -> _Times:
    """Opening and closing (local date and time pickers), and the days of 公示 after closing."""
    now = _local(audit.now()).replace(second=0, microsecond=0)
    opens = _local(d.opens_at) if d else (now + timedelta(hours=1)).replace(minute=0)
    closes = _local(d.closes_at) if d else opens + timedelta(days=7)
    ui.label(t('时间')).classes('text-lg font-bold pt-2')
    with ui.row().classes('w-full gap-2 no-wrap'):
        open_day = ui.input(t('开始日期'), value=opens.date().isoformat()).props('outlined type=date') \
            .classes('grow text-lg').mark('opens-date')
        open_clock = ui.input(t('开始时间'), value=opens.strftime('%H:%M')).props('outlined type=time') \
            .classes('grow text-lg').mark('opens-time')
    with ui.row().classes('w-full gap-2 no-wrap'):
        close_day = ui.input(t('截止日期'), value=closes.date().isoformat()).props('outlined type=date') \
            .classes('grow text-lg').mark('closes-date')
        close_clock = ui.input(t('截止时间'), value=closes.strftime('%H:%M')).props('outlined type=time') \
            .classes('grow text-lg').mark('closes-time')
    publicity = ui.number(t('结果公示天数'), value=d.publicity_days if d else 7, min=rules.PUBLICITY_DAYS[0],
                          max=rules.PUBLICITY_DAYS[1], precision=0) \
        .props('outlined').classes('w-full text-lg').mark('publicity-days')
    return _Times(open_day, open_clock, close_day, close_clock, publicity)


def area_m2(value: object) -> str:
    """Square metres with at most two decimals, from a Fraction or Decimal."""
    try:
        number = Fraction(str(value)) if not isinstance(value, Fraction) else value
    except (TypeError, ValueError):
        return str(value)
    hundredths = round(number * 100)
    whole, cents = divmod(hundredths, 100)
    return f'{whole}.{cents:02d}' if cents else str(whole)
