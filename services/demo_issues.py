"""Issues and micro-wishes for the demo community, made through the real services so every screen has something.

Idempotent: nothing is added when the community already has issues. Items are spread over the last weeks
(`at=`), so the wall, the triage board (with an overdue street referral), the 心愿墙 and the ledger look lived in.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from domain.permissions import Principal
from models import Account, Compound, Issue, Resident
from services import accounts, audit, issues, triage, wishes
from services.issues import Draft

# (compound, kind, title, body, category, days ago)
ITEMS = (
    ('嘉明花园', 'issue', '3栋门口路灯坏了，晚上很黑', '坏了两个星期，老人晚上出门怕摔跤。', 'lighting', 12),
    ('嘉明花园', 'issue', '3栋路灯不亮', '天黑以后门口一片漆黑。', 'lighting', 11),
    ('船柴小区', 'issue', '想在小区建一个电动车充电棚', '大家把电动车推上楼充电，楼道里飞线很危险。', 'ev_charging', 9),
    ('江景苑', 'issue', '社区缺少晾晒被子的地方', '江景苑和嘉明花园都没有晾晒场地，天晴时被子没处晒。', 'drying', 6),
    ('', 'issue', '社区门口主干道下水道堵塞，下雨就积水', '一下雨路口积水到脚踝，学生上学要绕路。', 'municipal', 5),
    ('船柴小区', 'issue', '楼上装修噪音太大', '中午和晚上都在施工。', 'noise', 4),
    ('', 'issue', '公交站台拆除后一直没有恢复', '原来门口的 12 路站台拆了快一个月，老人坐车要走很远。', 'traffic', 25),
    ('江景苑', 'issue', '希望开一个老年人智能手机课', '想学会用手机挂号、视频通话。', 'culture', 1),
    ('嘉明花园', 'wish', '需要一个助行器', '腿脚不方便，想借或买一个助行器。', 'elderly', 3),
    ('船柴小区', 'wish', '想请人帮忙换个灯泡', '厨房灯泡坏了，自己够不着。', 'elderly', 2),
    ('江景苑', 'wish', '孙子放学没人辅导作业', '希望有志愿者每周辅导一两次数学。', 'childcare', 10),
)


async def load(community_id: int, *, at: datetime | None = None) -> int:
    """Raise and move the demo items; returns how many were added (0 when the community already has issues)."""
    if await Issue.filter(community_id=community_id).exists():
        return 0
    now = at or audit.now()
    staff = await _principal_with_role(community_id, 'staff')
    volunteer = await _principal_with_role(community_id, 'volunteer')
    authors = await _authors(community_id)
    made: list[Issue] = []
    for index, (compound, kind, title, body, category, days) in enumerate(ITEMS):
        author = authors[compound or '嘉明花园'][index % 3]
        draft = Draft(kind=kind, title=title, body=body, category=category, show_author=index % 2 == 0)
        when = now - timedelta(days=days)
        if compound:  # raised on the phone: placed at the author's own building
            made.append(await issues.raise_item(author, draft, at=when))
        else:  # a community-wide matter that came in by the hotline, recorded by staff
            made.append(await issues.record_for_resident(staff, community_id, draft, channel='12345',
                                                         author_name=author.name, resident_id=author.resident_id,
                                                         at=when))
    lamp, lamp_again, shed, drying, drain, noise, bus, _class, frame, bulb, homework = made  # _class: unread
    for supporter in authors['嘉明花园'][1:] + authors['江景苑'][:2]:
        await issues.support(supporter, lamp.id, at=now - timedelta(days=10))
    for item, days in ((lamp, 11), (lamp_again, 10), (shed, 8), (drying, 5), (drain, 4), (bus, 24)):
        await issues.move(staff, item.id, 'accepted', at=now - timedelta(days=days))
    await issues.merge(staff, lamp_again.id, lamp.id, at=now - timedelta(days=10))
    await issues.move(staff, noise.id, 'rejected', reason='属于邻里纠纷，网格员已上门调解', at=now - timedelta(days=3))
    await triage.classify(staff, lamp.id, scale='micro', lead='compound_council', at=now - timedelta(days=9))
    await triage.classify(staff, shed.id, scale='micro', lead='compound_council', at=now - timedelta(days=7))
    await triage.classify(staff, bus.id, scale='big', lead='street', reason='公交站点属于街道和交通部门管理',
                          at=now - timedelta(days=23))  # its reply is overdue by now
    for wish, days in ((frame, 2), (bulb, 1), (homework, 9)):
        await wishes.publish(staff, wish.id, at=now - timedelta(days=days))
    await wishes.claim(volunteer, bulb.id, at=now - timedelta(hours=20))
    await wishes.claim(volunteer, homework.id, at=now - timedelta(days=8))
    await wishes.mark_fulfilled(volunteer, homework.id, note='每周三下午辅导一次', at=now - timedelta(days=2))
    homework_author = await _principal_of_resident(homework.author_id)
    await wishes.confirm(homework_author, homework.id, rating='satisfied', comment='孩子进步很大，谢谢志愿者！',
                         at=now - timedelta(days=1))
    return len(made)


async def _principal_with_role(community_id: int, role: str) -> Principal:
    account = await Account.filter(roles__community_id=community_id, roles__role=role).order_by('id').first()
    return await accounts.principal(account.id)


async def _principal_of_resident(resident_id: int) -> Principal:
    account = await Account.get(resident_id=resident_id)
    return await accounts.principal(account.id)


async def _authors(community_id: int) -> dict[str, list[Principal]]:
    """Three verified adult residents per compound, each with an account (as if they had signed in once)."""
    found: dict[str, list[Principal]] = {}
    for compound in await Compound.filter(community_id=community_id).order_by('id'):
        residents = await Resident.filter(community_id=community_id, status='verified', birth_year__lte=1990,
                                          household__building__compound_id=compound.id).order_by('id').limit(3)
        principals = []
        for resident in residents:
            async with in_transaction() as conn:
                account = await accounts.account_for_resident(resident, conn)
            principals.append(await accounts.principal(account.id))
        found[compound.name] = principals
    return found
