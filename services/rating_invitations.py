"""Who a rating round invites (服务谁、谁评价), read in the transaction that opens the round (services.ratings).

- served: for a project from a vote, the residents on the vote's frozen roll (an elector that is a household
  brings everyone living in it); for the issue it carries out (its own, or its vote's or outcome's), the author,
  the supporters (附议) and, when the issue names a building, the residents of that building. A compound is not
  used: it can hold thousands of people who were not asked, and they may still rate, only uninvited;
- took part: the pledgers (投工投劳、出资出物, not withdrawn), the residents checked in at any meeting whose agenda
  carried the issue, and whoever rated an earlier round of the project (a 整改 is rated by the same people again).
Only residents of the project's community who have not moved out are invited.
"""
from __future__ import annotations

from models import (
    Account,
    AgendaItem,
    CheckIn,
    Elector,
    Issue,
    IssueSupport,
    Outcome,
    Pledge,
    Project,
    Rating,
    Resident,
    Vote,
)


async def invitees_of(project: Project, *, conn=None) -> dict[int, str]:
    """resident id → 'served' or 'took_part' (served wins), by the rule in this module's docstring."""
    served: set[int] = set()
    issue_id = project.issue_id
    if project.vote_id is not None:
        roll = await Elector.filter(vote_id=project.vote_id).using_db(conn).values_list('resident_id', 'household_id')
        served |= {r for r, _h in roll if r is not None}
        served |= await _living_in(household_ids={h for r, h in roll if r is None and h is not None}, conn=conn)
        if issue_id is None:
            issue_id = await Vote.filter(id=project.vote_id).using_db(conn).first() \
                .values_list('issue_id', flat=True)
    if issue_id is None and project.outcome_id is not None:
        issue_id = await Outcome.filter(id=project.outcome_id).using_db(conn) \
            .first().values_list('item__issue_id', flat=True)
    took_part: set[int] = set()
    if issue_id is not None:
        issue = await Issue.get_or_none(id=issue_id).using_db(conn)
        if issue is not None:
            if issue.author_id is not None:
                served.add(issue.author_id)
            served |= set(await IssueSupport.filter(issue_id=issue.id).using_db(conn)
                          .values_list('resident_id', flat=True))
            if issue.building_id is not None:
                served |= await _living_in(building_id=issue.building_id, conn=conn)
            meetings = await AgendaItem.filter(issue_id=issue.id).using_db(conn).values_list('meeting_id', flat=True)
            if meetings:
                took_part |= set(await CheckIn.filter(meeting_id__in=list(set(meetings))).using_db(conn)
                                 .values_list('resident_id', flat=True))
    took_part |= {r for r in await Pledge.filter(project_id=project.id).exclude(state='withdrawn').using_db(conn)
                  .values_list('resident_id', flat=True) if r is not None}
    took_part |= set(await Rating.filter(survey__project_id=project.id).using_db(conn)
                     .values_list('resident_id', flat=True))
    wanted = served | took_part
    if not wanted:
        return {}
    living = set(await Resident.filter(id__in=sorted(wanted), community_id=project.community_id)
                 .exclude(status='left').using_db(conn).values_list('id', flat=True))
    return {rid: ('served' if rid in served else 'took_part') for rid in living}


async def _living_in(*, household_ids: set[int] | None = None, building_id: int | None = None, conn=None) -> set[int]:
    if household_ids is not None:
        if not household_ids:
            return set()
        query = Resident.filter(household_id__in=sorted(household_ids))
    else:
        query = Resident.filter(household__building_id=building_id)
    return set(await query.exclude(status='left').using_db(conn).values_list('id', flat=True))


async def accounts_of(resident_ids: list[int], *, conn=None) -> list[int]:
    """The active accounts of these residents (those who get the in-app notice)."""
    if not resident_ids:
        return []
    return sorted(await Account.filter(resident_id__in=resident_ids, is_active=True).using_db(conn)
                  .values_list('id', flat=True))
