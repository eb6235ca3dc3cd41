"""Projects for the demo community, made through the real services (after the demo issues, meetings and votes).

- 嘉明花园夜间临时车位和消防通道划线 — decided (会上议定) at the courtyard meeting three days ago on its parking item,
  approved by the 两委, and under way: the paint and signs are bought, painting is the open milestone, one progress
  report says so (40 %). Its money (惠民资金 and the property company; one spending with a receipt photo) and its
  needs (volunteers for the night painting, traffic cones) with two residents' pledges, one thanked by name.
- 船柴小区独居老人厨房灯更换 — the claimed micro-wish 想请人帮忙换个灯泡, a small project still being prepared.

The demo has no final passed vote yet (the charging-shed vote is in its 公示 period), so no project comes from a
vote. Idempotent: nothing is added when the community already has projects. Deterministic for a given `at`.
"""
from __future__ import annotations

import io
from datetime import datetime, timedelta

from PIL import Image, ImageDraw

from domain.meetings import LOCAL
from domain.permissions import Principal
from models import Account, AgendaItem, Issue, Meeting, Project, Resident
from services import accounts, audit, budget, minutes, pledges, progress, project_moves, projects
from services.projects import ProjectDraft

HELD = '小板凳、大民生：嘉明花园停车难'  # services.demo_meetings: held three days ago
PARKING = '晚上车位不够，消防通道被占'  # an agenda item of that meeting (the lamp issue, also on it, is left alone)
BULB = '想请人帮忙换个灯泡'


async def load(community_id: int, *, at: datetime | None = None) -> int:
    """Make the demo projects; returns how many were added (0 on a second run)."""
    if await Project.filter(community_id=community_id).exists():
        return 0
    now = at or audit.now()
    staff = await _principal(community_id, 'staff')
    committee = await _principal(community_id, 'committee')
    made = [await _parking(staff, committee, community_id, now), await _bulb(staff, community_id, now)]
    return sum(p is not None for p in made)


async def _parking(staff: Principal, committee: Principal, community_id: int, now: datetime) -> Project | None:
    meeting = await Meeting.get_or_none(community_id=community_id, title=HELD)
    item = await AgendaItem.get_or_none(meeting_id=meeting.id, title=PARKING) if meeting else None
    if item is None:
        return None
    decided = meeting.ends_at + timedelta(hours=1)
    outcome = await minutes.draft_outcome(
        staff, item.id, kind='decided', at=decided,
        text='在3栋东侧空地划出12个夜间临时车位（19:00至次日7:30），消防通道画黄色网格线并立禁停牌，物业每晚巡查。')
    await minutes.submit_outcome(staff, outcome.id, at=decided + timedelta(minutes=10))
    await minutes.review_outcome(committee, outcome.id, approve=True, at=decided + timedelta(hours=14))
    created = decided + timedelta(hours=16)
    today = created.astimezone(LOCAL).date()
    project = await projects.create_project(staff, origin='outcome', source_id=outcome.id, at=created,
                                            draft=ProjectDraft(
        title='嘉明花园夜间临时车位和消防通道划线', lead_org='嘉明花园物业服务中心', lead_person='刘建军',
        lead_phone='0717-6221234', site='嘉明花园3栋东侧空地', due_on=today + timedelta(days=10),
        summary='晚上车位不够，消防通道被占。按议事会决定划出夜间临时车位，消防通道画网格线禁停，社区和业委会监督。'))
    bought = await projects.add_milestone(staff, project.id, title='采购划线漆和禁停牌',
                                          due_on=today + timedelta(days=2), at=created)
    await projects.add_milestone(staff, project.id, title='夜间施工划线、立牌', due_on=today + timedelta(days=6),
                                 at=created)
    await project_moves.move(staff, project.id, 'underway', at=created + timedelta(hours=2))
    await projects.complete_milestone(staff, bought.id, at=now - timedelta(hours=6))
    statuses = {s.key: s.id for s in await projects.statuses(community_id)}
    await progress.post_update(staff, project.id, text='划线漆和禁停牌已到货，本周六晚上施工，施工时请把车停到小区外。',
                               status_id=statuses['procuring'], progress=40, nonce='demo-parking-1',
                               at=now - timedelta(hours=5))
    await _money(staff, project, now)
    await _pledges(staff, project, now)
    return project


async def _money(staff: Principal, project: Project, now: datetime) -> None:
    await budget.add_budget_line(staff, project.id, source='huimin', amount='3600', note='2026 年惠民资金',
                                 nonce='demo-parking-line-1', at=now - timedelta(days=1))
    await budget.add_budget_line(staff, project.id, source='property', amount='1200', note='物业公司承担禁停牌',
                                 nonce='demo-parking-line-2', at=now - timedelta(days=1))
    await budget.record_spending(staff, project.id, source='huimin', amount='1480', item='道路划线漆6桶、禁停牌4块',
                                 payee='西陵区五金建材店', spent_on=(now - timedelta(hours=8)).astimezone(LOCAL).date(),
                                 receipt=(_receipt(), 'receipt.png'), nonce='demo-parking-spend-1',
                                 at=now - timedelta(hours=8))


async def _pledges(staff: Principal, project: Project, now: datetime) -> None:
    painters = await pledges.add_need(staff, project.id, kind='labour', item='夜间划线志愿者', quantity='16',
                                      slot='周六 19:00–22:00', at=now - timedelta(hours=5))
    await pledges.add_need(staff, project.id, kind='material', item='反光锥', unit='个', quantity='10',
                           at=now - timedelta(hours=5))
    helpers = await Resident.filter(community_id=project.community_id, status='verified', account__id__isnull=False) \
        .order_by('id').limit(2)
    for n, resident in enumerate(helpers):
        account = await Account.get(resident_id=resident.id)
        pledge = await pledges.pledge(await accounts.principal(account.id), project.id, need_id=painters.id,
                                      kind='labour', quantity='3', thank_publicly=n == 0,
                                      nonce=f'demo-parking-pledge-{n}', at=now - timedelta(hours=4 - n))
        if n == 0:
            await pledges.confirm_received(staff, pledge.id, received='3', at=now - timedelta(hours=1))


def _receipt() -> bytes:
    """A plain drawn shop receipt (lines, no text) as the demo's receipt photo."""
    image = Image.new('RGB', (600, 800), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 560, 760), outline=(120, 120, 120), width=3)
    for y in range(120, 640, 48):
        draw.line((80, y, 520 if y % 96 else 400, y), fill=(90, 90, 90), width=4)
    draw.ellipse((380, 600, 520, 740), outline=(200, 40, 40), width=6)  # the shop's red stamp
    out = io.BytesIO()
    image.save(out, format='PNG')
    return out.getvalue()


async def _bulb(staff: Principal, community_id: int, now: datetime) -> Project | None:
    bulb = await Issue.get_or_none(community_id=community_id, title=BULB, kind='wish', state='claimed')
    if bulb is None:
        return None
    created = now - timedelta(hours=3)
    project = await projects.create_project(staff, origin='wish', source_id=bulb.id, at=created,
                                            draft=ProjectDraft(
        title='船柴小区独居老人厨房灯更换', lead_org='船柴社区志愿服务队', lead_person='',
        site='船柴小区', due_on=created.astimezone(LOCAL).date() + timedelta(days=3),
        summary='独居老人厨房灯泡坏了，自己够不着。志愿者上门查看灯具型号，买好灯泡后上门更换。'))
    await projects.add_milestone(staff, project.id, title='上门查看灯具型号', at=created)
    return project


async def _principal(community_id: int, role: str) -> Principal:
    account = await Account.filter(roles__community_id=community_id, roles__role=role).order_by('id').first()
    return await accounts.principal(account.id)
