"""/votes/{id}/result: the result as the rule produced it — the verdict, the rule and its legal source, turnout by
head (and by area) against the required line, each option, the reasons, the 公示 period with its objections, and
the counted receipt codes so every voter can check their own. /votes/{id}/notice: the printable A4 公示 notice.
/votes/{id}/receipt: type a receipt code → counted / replaced by a changed ballot / not found, never the choice.
"""
from __future__ import annotations

from datetime import datetime

from fastapi.responses import RedirectResponse
from nicegui import ui
from starlette.requests import Request

from components import session
from components.admin import NonceSender, not_found, problem_label
from components.frame import frame
from components.live import on_event
from components.qr import qr_image
from components.signin import login_redirect
from components.vote_bars import BarList, bars_of
from components.when import LOCAL, local_time
from domain.i18n import current_language, t
from domain.permissions import Principal, can
from domain.tally import Result
from domain.tally_words import number, share, threshold_text
from pages.votes_phone import CARD, DONE, NOT_FOUND, load_view, vote_number
from services import audit, ballot_views, codes, objections, tallies
from services.tallies import TallyView
from services.vote_views import VoteView

NOTICE_CSS = '''<style>
.gs-notice { background: #fff; color: #111; padding: 8mm 10mm; font-size: 15px; line-height: 1.7; }
.gs-notice-title { font-size: 24px; font-weight: 800; text-align: center; margin: 0 0 4mm; width: 100%; }
.gs-notice table { width: 100%; border-collapse: collapse; margin: 3mm 0; }
.gs-notice th, .gs-notice td { border: 1px solid #333; padding: 4px 8px; text-align: left; vertical-align: top; }
.gs-notice th { background: #f2f2f2; width: 7.5em; white-space: nowrap; }
@media print {
  @page { size: A4; margin: 14mm; }
  .gs-content { max-width: none !important; padding: 0 !important; margin: 0 !important; }
  .q-page-container, .q-layout { padding: 0 !important; }
  .gs-notice { padding: 0; }
  .gs-notice tr { break-inside: avoid; page-break-inside: avoid; }
}
</style>'''


def heads_text(counting: str, voted: int, total: int) -> str:
    if counting == 'household':
        return t('{voted} / {total} 户', voted=voted, total=total)
    if counting == 'owner':
        return t('{voted} / {total} 位业主', voted=voted, total=total)
    return t('{voted} / {total} 人', voted=voted, total=total)


def verdict_line(view: VoteView, result: Result | None) -> str:
    if view.state == 'cancelled':
        return t('表决已取消')
    if view.state == 'annulled':
        return t('表决结果已作废')
    if view.state in ('draft', 'open') or result is None:
        return t('表决进行中')
    return t('表决结果：{verdict}', verdict=t(view.verdict_label))


def turnout_lines(result: Result) -> list[tuple[str, str]]:
    """(what, figures against the line) for heads, and for area when the rule counts it."""
    lang = current_language()
    lines = []
    need = threshold_text(result.turnout, lang=lang) if result.turnout is not None else ''
    heads = t('{figures}，占 {share}', figures=heads_text(result.counting, result.voted_heads, result.total_heads),
              share=share(result.voted_heads, result.total_heads, lang=lang))
    if need:
        heads += t('（要求{need}，{met}）', need=need, met=t('已达到') if result.heads_quorate else t('未达到'))
    lines.append((t('参与表决'), heads))
    if result.by_area:
        area = t('{voted} / {total} 平方米，占 {share}', voted=number(result.voted_area, lang=lang),
                 total=number(result.total_area, lang=lang), share=share(result.voted_area, result.total_area,
                                                                          lang=lang))
        if need:
            area += t('（要求{need}，{met}）', need=need, met=t('已达到') if result.area_quorate else t('未达到'))
        lines.append((t('参与面积'), area))
    if not need:
        lines.append((t('参与要求'), t('这条规则不要求参与人数')))
    return lines


def roll_text(counting: str, total: int) -> str:
    if counting == 'household':
        return t('{n} 户', n=total)
    if counting == 'owner':
        return t('{n} 位业主', n=total)
    return t('{n} 人', n=total)


def period_text(view: VoteView) -> str:
    if view.closed_at is None or view.publicity_ends_at is None:
        return ''
    return t('{start} 至 {end}', start=local_time(view.closed_at), end=local_time(view.publicity_ends_at))


def publicity_text(view: VoteView) -> str:
    period = period_text(view)
    return t('公示期：{period}', period=period) if period else ''


def in_publicity(view: VoteView, at: datetime) -> bool:
    return view.state == 'closed' and view.publicity_ends_at is not None and at < view.publicity_ends_at


# ---- /votes/{id}/result ----

async def result_page(vote_id: str) -> RedirectResponse | None:
    user = await session.current_user()
    view = await load_view(user, vote_id)
    if view is None and not user.is_authenticated:  # public once closed (公示); before that, residents sign in
        return login_redirect(f'/votes/{vote_number(vote_id) or ""}/result')
    if view is None:
        with frame(t('表决结果'), user=user, back='/votes'):
            not_found(t(NOT_FOUND))
        return None
    with frame(t('表决结果'), user=user, back=f'/votes/{view.id}'):
        ui.label(view.title).classes('text-2xl font-bold break-all').mark('vote-title')

        @ui.refreshable
        async def content() -> None:
            fresh = await load_view(user, str(view.id))
            if fresh is None:
                not_found(t(NOT_FOUND))
                return
            await _draw(user, fresh, await tallies.current_tally(fresh.id))

        await content()
        if in_publicity(view, audit.now()):
            _objection_form(user, view, content.refresh)
        on_event('vote.*', lambda _event: content.refresh(), community_id=view.community_id, at_most_every=1,
                 where=lambda event: event.payload.get('vote_id') == view.id)
    return None


async def _draw(user: Principal, view: VoteView, tally: TallyView) -> None:
    result = tally.result
    with ui.card().classes('gs-card w-full items-center gap-1 py-4 bg-grey-2').mark('result-verdict'):
        ui.label(verdict_line(view, result)).classes('text-3xl font-bold text-center')
        if view.state not in ('draft', 'open'):
            ui.label(t(view.state_label)).classes('text-lg')
        if view.state_reason and view.state in ('cancelled', 'annulled'):
            ui.label(view.state_reason).classes('text-lg break-all')
        if tally.hidden:
            ui.label(t('结果在表决结束后公布，现在只显示参与人数')).classes('text-lg text-center')
        elif view.state == 'open':
            ui.label(t('实时计票，以表决结束时为准')).classes('text-lg text-center')
    with ui.card().classes('gs-card w-full gap-1').mark('result-rule'):
        ui.label(t('表决规则：{rule}', rule=t(view.rule_label))).classes('text-lg font-bold')
        ui.label(view.rule_text).classes('text-lg').mark('result-rule-text')  # ends with the legal source
        ui.label(t('{counting} · {electorate}', counting=t(view.counting_label), electorate=t(view.electorate_label))) \
            .classes('text-base gs-muted break-all')
    with ui.card().classes('gs-card w-full gap-1').mark('result-turnout'):
        for what, figures in turnout_lines(result):
            ui.label(f'{what}：{figures}').classes('text-lg')
    if not tally.hidden and not (view.state == 'cancelled' and not view.results_live):
        ui.label(t('各选项得票（以参与表决的为基数）')).classes('text-lg font-bold')
        BarList(bars_of(result, final=view.state not in ('draft', 'open')), marker='result-bar')
        if view.state not in ('draft', 'open', 'cancelled'):
            with ui.column().classes('w-full gap-1').mark('result-reasons'):
                for reason in result.explain():
                    ui.label(f'· {reason}').classes('text-base break-all')
    publicity = publicity_text(view)
    if publicity:
        ui.label(publicity).classes('text-lg font-bold').mark('result-publicity')
    if view.state in DONE:
        with ui.row().classes('w-full gap-2'):
            ui.button(t('打印公示'), icon='print', on_click=lambda: ui.navigate.to(f'/votes/{view.id}/notice')) \
                .props('outline').classes('text-lg').mark('result-notice')
        await _objections(user, view)
        await _receipts(view)
    if view.secret and can(user, 'vote.roll', view.community_id):
        ui.label(t('这次表决不公开谁投了什么')).classes('text-base gs-muted').mark('result-secret')
    elif view.state in DONE and can(user, 'vote.roll', view.community_id):
        _named(await ballot_views.named_ballots(user, view.id))


def _named(rows: list[ballot_views.NamedBallot]) -> None:
    """实名表决: who chose what, for those who read the record (居务监督委员会, staff)."""
    ui.label(t('实名投票记录（{n} 张）', n=len(rows))).classes('text-lg font-bold pt-2')
    with ui.column().classes('w-full gap-0').mark('result-named'):
        for row in rows:
            who = f'{row.elector_label}（{row.voter_name}）' if row.voter_name and row.voter_name != row.elector_label \
                else row.elector_label
            ui.label(f'{who}：{"、".join(row.choices)} · {row.channel} · {local_time(row.cast_at)}') \
                .classes('text-base break-all')


async def _objections(user: Principal, view: VoteView) -> None:
    found = await objections.objections(user, view.id)
    ui.label(t('异议（{n} 条）', n=len(found))).classes('text-lg font-bold')
    for item in found:
        with ui.card().classes('gs-card w-full gap-1').mark(f'objection-{item.id}'):
            ui.label(item.text).classes('text-lg break-all whitespace-pre-line')
            ui.label(f'{t(item.author_label)} · {local_time(item.created_at)}').classes('gs-muted')
            if item.answer:
                verdict = t('异议成立，表决结果作废') if item.upheld else t('异议不成立')
                ui.label(t('答复：{answer}', answer=item.answer)).classes('text-lg break-all') \
                    .mark(f'objection-answer-{item.id}')
                ui.label(verdict).classes('text-base font-bold')
            else:
                ui.label(t('等待社区答复')).classes('text-base text-warning')


async def _receipts(view: VoteView) -> None:
    receipts = await tallies.counted_receipts(view.id)
    with ui.card().classes('gs-card w-full gap-1').mark('result-receipts'):
        ui.label(t('已计入的回执码（{n} 张）', n=len(receipts))).classes('text-lg font-bold')
        ui.label(t('在这里找到您的回执码，就说明您的选票已计入。')).classes('gs-muted')
        ui.label('  '.join(receipts)).classes('text-base font-mono break-words')
        ui.link(t('查询我的回执码'), f'/votes/{view.id}/receipt').classes('text-lg')


def _objection_form(user: Principal, view: VoteView, refresh) -> None:
    if not can(user, 'vote.object', view.community_id):
        return
    with ui.card().classes('gs-card w-full gap-2').mark('objection-form'):
        ui.label(t('对表决结果有异议？公示期内可以提出，社区会答复。')).classes('text-lg')
        text = ui.textarea(t('异议内容')).classes('w-full text-lg') \
            .props(f'outlined autogrow maxlength={objections.MAX_TEXT}').mark('objection-text')
        sender = NonceSender(problem_label())  # one nonce per composed objection: a double tap files it once

        async def send() -> None:
            if not await sender.send(button, lambda nonce: objections.file_objection(user, view.id, text.value or '',
                                                                                      nonce=nonce)):
                return
            text.value = ''
            ui.notify(t('已提交异议'), type='positive')
            refresh()

        button = ui.button(t('提出异议'), icon='report', on_click=send).classes('w-full text-xl') \
            .mark('objection-send')


# ---- /votes/{id}/notice ----

async def notice_page(request: Request, vote_id: str) -> RedirectResponse | None:
    user = await session.current_user()
    view = await load_view(user, vote_id)
    if view is None and not user.is_authenticated:  # public once closed (公示); before that, residents sign in
        return login_redirect(f'/votes/{vote_number(vote_id) or ""}/notice')
    if view is None or view.state not in DONE:
        with frame(t('表决结果公示'), user=user, back='/votes'):
            not_found(t(NOT_FOUND) if view is None else t('表决结束后才有公示'))
        return None
    community = await codes.community_by_id(view.community_id)
    tally = await tallies.current_tally(view.id)
    url = f'{codes.public_base(str(request.base_url))}/votes/{view.id}/result'
    ui.add_head_html(NOTICE_CSS)
    with frame(t('表决结果公示'), user=user, back=f'/votes/{view.id}/result', nav=False):
        with ui.row().classes('w-full no-print'):
            ui.button(t('打印'), icon='print', on_click=lambda: ui.run_javascript('window.print()')) \
                .classes('text-lg').mark('print')
        _notice(view, community.name, community.kind, tally.result, url)
    return None


def _row(head: str, body: str, marker: str | None = None) -> None:
    with ui.element('tr'):
        with ui.element('th'):
            ui.label(head)
        with ui.element('td'):
            label = ui.label(body).classes('whitespace-pre-line break-all')
            if marker:
                label.mark(marker)


def _notice(view: VoteView, community: str, kind: str, result: Result, url: str) -> None:
    lang = current_language()
    body = t('{name}村民委员会', name=community) if kind == 'village' else t('{name}居民委员会', name=community)
    with ui.column().classes('gs-notice w-full gap-0').mark('notice'):
        ui.label(community).classes('text-lg text-center w-full').mark('notice-community')
        ui.label(t('关于“{title}”表决结果的公示', title=view.title)).classes('gs-notice-title break-all') \
            .mark('notice-title')
        ui.label(t('根据表决规则，现将表决结果公示如下：')).classes('text-base')
        with ui.element('table'):
            _row(t('表决事项'), view.title + ('\n' + view.description if view.description else ''))
            _row(t('表决规则'), f'{t(view.rule_label)}：{view.rule_text}', 'notice-rule')
            _row(t('表决范围'), f'{t(view.electorate_label)}（{t(view.counting_label)}）')
            roll = roll_text(result.counting, result.total_heads)
            if result.by_area:
                roll += t('，专有面积 {area} 平方米', area=number(result.total_area, lang=lang))
            _row(t('应参与'), roll)
            _row(t('表决时间'), t('{start} 至 {end}', start=local_time(view.opens_at),
                                   end=local_time(view.closed_at or view.closes_at)))
            _row(t('参与情况'), '\n'.join(f'{what}：{figures}' for what, figures in turnout_lines(result)),
                 'notice-turnout')
            _row(t('得票情况'), '\n'.join(_option_line(line, result, lang) for line in result.options),
                 'notice-options')
            verdict = t(view.verdict_label) if view.state in ('closed', 'final') else verdict_line(view, result)
            if view.state == 'annulled' and view.state_reason:
                verdict += t('（{reason}）', reason=view.state_reason)
            _row(t('表决结果'), '\n'.join([verdict, *result.explain()]), 'notice-verdict')
            _row(t('公示期'), period_text(view))
            _row(t('异议方式'), t('公示期内如有异议，请登录 {url} 提出，或书面交{body}。', url=url, body=body))
        with ui.row().classes('w-full items-end justify-between no-wrap pt-4'):
            with ui.column().classes('items-center gap-0'):
                qr_image(url, size='w-28', box_size=6)
                ui.label(t('扫码查看结果、提出异议')).classes('text-sm')
            with ui.column().classes('items-end gap-0'):
                ui.label(body).classes('text-lg font-bold').mark('notice-body')
                ui.label(_date(view.closed_at or audit.now())).classes('text-lg')


def _option_line(line, result: Result, lang: str) -> str:
    label = line.label if line.kind == 'choice' else t(line.label)
    text = t('{label}：{heads}（{share}）', label=label, heads=line.heads,
             share=share(line.heads, result.voted_heads, lang=lang))
    if result.by_area:
        text += t('，面积 {area} 平方米（{share}）', area=number(line.area, lang=lang),
                  share=share(line.area, result.voted_area, lang=lang))
    return text


def _date(value: datetime) -> str:
    local = value.astimezone(LOCAL)
    return t('{y}年{m}月{d}日', y=local.year, m=local.month, d=local.day)


# ---- /votes/{id}/receipt ----

async def receipt_page(vote_id: str, code: str = '') -> RedirectResponse | None:
    user = await session.current_user()
    view = await load_view(user, vote_id)
    if view is None and not user.is_authenticated:  # public once closed (公示); before that, residents sign in
        return login_redirect(f'/votes/{vote_number(vote_id) or ""}/receipt')
    if view is None:
        with frame(t('查询回执'), user=user, back='/votes'):
            not_found(t(NOT_FOUND))
        return None
    with frame(t('查询回执'), user=user, back=f'/votes/{view.id}', nav=False):
        ui.label(view.title).classes('text-xl font-bold break-all').mark('vote-title')
        ui.label(t('输入投票后看到的回执码，查看您的选票是否已计入。不会显示您选了什么。')).classes('text-lg')
        field = ui.input(t('回执码，例如 K7Q2-9XMP'), value=code[:20]).classes('w-full text-2xl') \
            .props('outlined maxlength=20 autocapitalize=characters autocomplete=off').mark('receipt-input')
        answer = ui.column().classes('w-full')

        async def check() -> None:
            typed = (field.value or '').strip().upper()
            answer.clear()
            if not typed:
                return
            found = await tallies.check_receipt(view.id, typed)
            with answer:
                _receipt_answer(found)

        field.on('keydown.enter', check)
        ui.button(t('查询'), icon='search', on_click=check).classes('w-full text-2xl py-3').mark('receipt-check')
        if code:
            await check()
    return None


def _receipt_answer(found: tallies.ReceiptCheck) -> None:
    if found.found and found.counted:
        look, icon, text = 'bg-green-1', 'task_alt', t('已计入')
    elif found.found and found.superseded:
        look, icon, text = 'bg-orange-1', 'published_with_changes', t('已被更改后的选票取代')
    else:
        look, icon, text = 'bg-red-1', 'search_off', t('未找到这个回执码，请核对后再试')
    with ui.card().classes(f'{CARD} {look}').props('role=status aria-live=polite').mark('receipt-answer'):
        ui.icon(icon).classes('text-6xl')
        ui.label(text).classes('text-2xl font-bold text-center')
        if found.found and found.cast_at is not None:
            ui.label(t('投票时间：{at}', at=local_time(found.cast_at))).classes('text-lg')
        if found.found and found.chain_hash:
            ui.label(t('存证编号：{hash}', hash=found.chain_hash[:16])).classes('text-base font-mono gs-muted')


def register() -> None:
    ui.page('/votes/{vote_id}/result')(result_page)
    ui.page('/votes/{vote_id}/notice')(notice_page)
    ui.page('/votes/{vote_id}/receipt')(receipt_page)
