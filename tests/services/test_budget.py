"""services.budget on a real database: lines, spendings with receipts, over-budget reasons, voiding, totals.

Every refusal is checked to change nothing: the rows are counted before and after.
"""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PIL import Image

from domain.errors import DomainError
from domain.meetings import LOCAL
from models import AuditEntry, BudgetLine, Spending
from services import budget, events, photos
from tests.support import make_account, make_community, make_project, principal_of

D = Decimal
TODAY = datetime.now(LOCAL).date()  # the community's today, as the service reads it


def _receipt(size=(1200, 1600)) -> bytes:
    buffer = io.BytesIO()
    Image.new('RGB', size, (240, 240, 230)).save(buffer, format='JPEG')
    return buffer.getvalue()


@pytest.fixture
async def world(db):
    community = await make_community()
    project = await make_project(community)
    staff = await principal_of(await make_account(community, 'staff', name='李敏'))
    supervisor = await principal_of(await make_account(community, 'supervisor', name='赵监督'))
    heard: list[events.Event] = []
    events.subscribe('budget.changed', heard.append)
    return {'community': community, 'project': project, 'staff': staff, 'supervisor': supervisor, 'heard': heard}


async def _counts() -> tuple[int, int, int]:
    return await BudgetLine.all().count(), await Spending.all().count(), await AuditEntry.all().count()


async def _spend(world, amount='800', *, source='huimin', nonce='nonce-0001', **options) -> Spending:
    fields = dict(source=source, amount=amount, item='声控灯 12 个', payee='宜昌明亮灯具店', spent_on=TODAY,
                  receipt=None, nonce=nonce)
    fields.update(options)
    return await budget.record_spending(world['staff'], world['project'].id, **fields)


async def test_a_budget_line_is_added_audited_and_announced(world) -> None:
    line = await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='20,000',
                                        note='2026 年惠民资金')
    assert (line.source, line.amount, line.note) == ('huimin', D('20000.00'), '2026 年惠民资金')
    entry = await AuditEntry.get(action='project.budget.added')
    assert entry.data['amount'] == '20000.00'
    assert world['heard'][-1].payload == {'community_id': world['community'].id, 'project_id': world['project'].id}


async def test_the_same_line_tapped_twice_is_added_once(world) -> None:
    first = await budget.add_budget_line(world['staff'], world['project'].id, source='award', amount='5000',
                                         nonce='line-nonce-0001')
    again = await budget.add_budget_line(world['staff'], world['project'].id, source='award', amount='5000',
                                         nonce='line-nonce-0001')
    assert again.id == first.id and await BudgetLine.all().count() == 1


async def test_two_equal_lines_from_two_forms_are_both_added(world) -> None:
    """Two donors may give the same sum: only the same form (nonce) is the same line."""
    await budget.add_budget_line(world['staff'], world['project'].id, source='social', amount='5000',
                                 nonce='line-nonce-0001')
    await budget.add_budget_line(world['staff'], world['project'].id, source='social', amount='5000',
                                 nonce='line-nonce-0002')
    assert await BudgetLine.all().count() == 2


@pytest.mark.parametrize(('options', 'code'), [
    ({'source': 'bank', 'amount': '100'}, 'invalid_source'),
    ({'source': 'huimin', 'amount': '-5'}, 'amount_not_positive'),
    ({'source': 'huimin', 'amount': '1.234'}, 'amount_too_precise'),
    ({'source': 'huimin', 'amount': '90000000'}, 'amount_too_large'),
    ({'source': 'huimin', 'amount': '一万'}, 'invalid_amount'),
])
async def test_a_bad_budget_line_is_refused_and_changes_nothing(world, options, code) -> None:
    before = await _counts()
    with pytest.raises(DomainError) as refused:
        await budget.add_budget_line(world['staff'], world['project'].id, **options)
    assert refused.value.code == code
    assert await _counts() == before and world['heard'] == []


async def test_only_staff_keep_the_books(world) -> None:
    before = await _counts()
    with pytest.raises(DomainError, match='forbidden'):
        await budget.add_budget_line(world['supervisor'], world['project'].id, source='huimin', amount='100')
    with pytest.raises(DomainError, match='forbidden'):
        await _spend(world | {'staff': world['supervisor']})
    assert await _counts() == before


async def test_a_spending_within_budget_is_recorded_with_its_receipt_re_encoded(world) -> None:
    await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='1000')
    row = await _spend(world, '800.50', receipt=(_receipt(), '发票.jpg'))
    assert (row.amount, row.over_budget, row.over_reason) == (D('800.50'), False, None)
    stored = photos.load(row.receipt_key)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == 'JPEG' and max(image.size) == 1600 and image.size == (1200, 1600)
    assert (row.receipt_width, row.receipt_height) == (1200, 1600)
    entry = await AuditEntry.get(action='project.spending.recorded')
    assert entry.data['receipt'] == row.receipt_key
    totals = (await budget.money_totals([world['project'].id]))[world['project'].id]
    assert (totals.budget, totals.spent, totals.remaining) == (D('1000.00'), D('800.50'), D('199.50'))


async def test_a_fake_receipt_image_is_refused_and_nothing_is_stored(world) -> None:
    await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='1000')
    before = await _counts()
    with pytest.raises(DomainError) as refused:
        await _spend(world, receipt=(b'%PDF-1.4 not a photo at all', '发票.jpg'))
    assert refused.value.code == 'photo_not_image'
    assert await _counts() == before


async def test_over_budget_without_a_reason_is_refused_saying_by_how_much(world) -> None:
    await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='1000')
    await _spend(world, '700', nonce='nonce-first')
    before = await _counts()
    with pytest.raises(DomainError) as refused:
        await _spend(world, '450', nonce='nonce-second')
    assert refused.value.code == 'over_budget'
    assert '150.00 元' in refused.value.message and '还剩 300.00 元' in refused.value.message
    assert await _counts() == before


async def test_over_budget_with_a_reason_is_stored_flagged(world) -> None:
    await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='1000')
    row = await _spend(world, '1200', over_reason='灯具涨价，居民议事会同意追加')
    assert (row.over_budget, row.over_reason) == (True, '灯具涨价，居民议事会同意追加')
    view = await budget.money_view(world['project'].id, viewer=world['staff'])
    assert view.summary.over_budget and view.spendings[0].over_budget
    assert view.summary.source('huimin').remaining == D('-200.00')


async def test_a_reason_given_while_within_budget_is_not_stored_as_a_flag(world) -> None:
    await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='1000')
    row = await _spend(world, '10', over_reason='以防万一')
    assert (row.over_budget, row.over_reason) == (False, None)


async def test_the_same_nonce_again_returns_the_first_record(world) -> None:
    await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='1000')
    first = await _spend(world, '100', nonce='tap-12345678')
    again = await _spend(world, '100', nonce='tap-12345678')
    assert again.id == first.id and await Spending.all().count() == 1
    assert await AuditEntry.filter(action='project.spending.recorded').count() == 1


@pytest.mark.parametrize(('options', 'code'), [
    ({'spent_on': TODAY + timedelta(days=1)}, 'spent_in_future'),
    ({'spent_on': TODAY - timedelta(days=400)}, 'spent_too_early'),
    ({'spent_on': '2026-01-01'}, 'invalid_date'),
    ({'item': '  '}, 'invalid_item'),
    ({'amount': '0'}, 'amount_not_positive'),
    ({'nonce': 'x'}, 'bad_nonce'),
    ({'source': 'nowhere'}, 'invalid_source'),
])
async def test_a_bad_spending_is_refused_and_changes_nothing(world, options, code) -> None:
    await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='1000')
    before = await _counts()
    with pytest.raises(DomainError) as refused:
        await _spend(world, **options)
    assert refused.value.code == code
    assert await _counts() == before


@pytest.mark.parametrize('state', ['closed', 'cancelled'])
async def test_no_money_moves_on_a_closed_or_cancelled_project(world, state) -> None:
    project = await make_project(world['community'], title='已结束的项目', state=state)
    before = await _counts()
    with pytest.raises(DomainError, match='project_not_working'):
        await budget.add_budget_line(world['staff'], project.id, source='huimin', amount='100')
    with pytest.raises(DomainError, match='project_not_working'):
        await budget.record_spending(world['staff'], project.id, source='huimin', amount='1', item='灯',
                                     spent_on=TODAY, receipt=None, over_reason='x', nonce='nonce-closed')
    assert await _counts() == before


async def test_a_voided_spending_stays_visible_and_counts_for_nothing(world) -> None:
    await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='1000')
    row = await _spend(world, '600')
    voided = await budget.void_spending(world['staff'], row.id, reason='金额录错，重新登记')
    assert voided.voided_at is not None and voided.void_reason == '金额录错，重新登记'
    assert await Spending.all().count() == 1  # never deleted
    view = await budget.money_view(world['project'].id, viewer=world['staff'])
    assert view.spendings[0].voided and view.summary.spent == 0
    assert await AuditEntry.filter(action='project.spending.voided').count() == 1


async def test_voiding_needs_a_reason_and_twice_is_a_clear_error(world) -> None:
    await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='1000')
    row = await _spend(world, '600')
    with pytest.raises(DomainError, match='reason_required'):
        await budget.void_spending(world['staff'], row.id, reason='  ')
    assert (await Spending.get(id=row.id)).voided_at is None
    await budget.void_spending(world['staff'], row.id, reason='重复录入')
    before = await _counts()
    with pytest.raises(DomainError) as refused:
        await budget.void_spending(world['staff'], row.id, reason='再作废一次')
    assert refused.value.code == 'already_voided' and '重复录入' in refused.value.message
    assert await _counts() == before
    assert (await Spending.get(id=row.id)).void_reason == '重复录入'


async def test_a_line_can_be_removed_only_while_its_source_still_covers_the_spending(world) -> None:
    first = await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='1000')
    typo = await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='10000')
    await _spend(world, '900')
    await budget.remove_budget_line(world['staff'], typo.id)  # 1000 still covers 900
    assert await BudgetLine.filter(id=typo.id).count() == 0
    before = await _counts()
    with pytest.raises(DomainError) as refused:
        await budget.remove_budget_line(world['staff'], first.id)
    assert refused.value.code == 'line_in_use' and '900.00 元' in refused.value.message
    assert await _counts() == before


async def test_money_totals_answers_every_project_asked_for(world) -> None:
    other = await make_project(world['community'], title='健身器材')
    await budget.add_budget_line(world['staff'], world['project'].id, source='residents', amount='300')
    await _spend(world, '120', source='residents')
    totals = await budget.money_totals([world['project'].id, other.id])
    assert totals[other.id].budget == 0 and totals[other.id].sources == ()
    mine = totals[world['project'].id]
    assert (mine.budget, mine.spent, mine.remaining) == (D('300.00'), D('120.00'), D('180.00'))
    assert [r.label for r in mine.sources] == ['居民自筹']


async def test_money_view_names_the_recorder_only_for_staff(world) -> None:
    await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='1000')
    await _spend(world, '100')
    staff_view = await budget.money_view(world['project'].id, viewer=world['staff'])
    public_view = await budget.money_view(world['project'].id, viewer=world['supervisor'])
    assert staff_view.spendings[0].recorded_by == '李敏' and staff_view.may_edit
    assert public_view.spendings[0].recorded_by == '' and not public_view.may_edit
    with pytest.raises(DomainError, match='not_found'):
        await budget.money_view(999999, viewer=world['staff'])


async def test_the_board_shows_how_much_of_this_years_huimin_allowance_is_committed(world) -> None:
    community, staff = world['community'], world['staff']
    at = datetime(2026, 6, 1, 4, tzinfo=UTC)
    await budget.add_budget_line(staff, world['project'].id, source='huimin', amount='150000', at=at)
    await budget.add_budget_line(staff, world['project'].id, source='residents', amount='9000', at=at)
    cancelled = await make_project(community, title='撤销的项目')
    await budget.add_budget_line(staff, cancelled.id, source='huimin', amount='40000', at=at)
    await cancelled.filter(id=cancelled.id).update(state='cancelled')
    last_year = await make_project(community, title='去年的项目')
    await budget.add_budget_line(staff, last_year.id, source='huimin', amount='70000',
                                 at=datetime(2025, 12, 31, 15, 59, tzinfo=UTC))  # 23:59 in Yichang
    use = await budget.community_money(community.id, 2026)
    assert (use.allowance, use.committed, use.left, use.over) == (D('200000'), D('150000.00'), D('50000.00'), False)
    assert (await budget.community_money(community.id, 2025)).committed == D('70000.00')


async def test_a_replay_after_the_project_closed_still_returns_the_first_record(world) -> None:
    await budget.add_budget_line(world['staff'], world['project'].id, source='huimin', amount='1000')
    first = await _spend(world, '100', nonce='tap-before-close')
    await world['project'].filter(id=world['project'].id).update(state='closed')
    again = await _spend(world, '100', nonce='tap-before-close')
    assert again.id == first.id
    with pytest.raises(DomainError, match='project_not_working'):
        await _spend(world, '100', nonce='tap-after-close')
    assert await Spending.all().count() == 1
