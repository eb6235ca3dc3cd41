"""Micro-wish rules (群众点单 / 组织派单 / 党员接单 / 群众评单): who may claim, what the wall shows, the ratings.

Pure: the services pass in what they read (roles, tags, seats); nothing here touches the database.
"""
from __future__ import annotations

from domain.permissions import ACTIONS, ROLE_LABELS, ROLES

WALL_STATES = ('open', 'claimed', 'fulfilled')  # submitted waits for staff; confirmed and rejected leave the wall
CLAIMED_STATES = frozenset({'claimed', 'fulfilled', 'confirmed'})  # the two sides know each other from here on
CLAIMER_TAGS = ('党员', '党员中心户', '志愿者')  # residents with these tags may claim (党员接单)
RATINGS = {'satisfied': '满意', 'fair': '基本满意', 'unsatisfied': '不满意'}
MAX_COMMENT = 500
MAX_REASON = 500


def claimer_kinds(roles: frozenset[str], tags: list[str] | tuple[str, ...], organisation: str | None) -> list[str]:
    """What makes someone a claimer, as the wisher reads it: ['党员', '志愿者'], ['社区工作者'], ['某某社工服务中心'].

    Empty when they may not claim: a plain resident, a committee member or supervisor without a tag or seat.
    """
    kinds = [tag for tag in CLAIMER_TAGS if tag in tags]
    kinds += [ROLE_LABELS[role] for role in ROLES
              if role in roles & ACTIONS['wish.claim'] and ROLE_LABELS[role] not in kinds]
    if organisation:
        kinds.append(organisation)
    return kinds


def rating_label(rating: str | None) -> str:
    return RATINGS.get(rating or '', '')
