"""Who may see a stored photo (served at /photos/{key}.jpg). The same bytes may belong to several records (a
photo is stored once per content), so any record that lets this person see it will do.

- an issue's or wish's photo: people with a role in its community (services.issue_views.photo_visible);
- a progress photo and a spending's receipt: anyone — they are on the project's public board (公开栏);
- a rating's photo: the rater, and those who read every rating of the community (rating.read: staff, 两委,
  居务监督委员会).
"""
from __future__ import annotations

from domain.permissions import Principal, can
from models import ProgressPhoto, Rating, Spending
from services import issue_views


async def visible(user: Principal, key: str) -> bool:
    """May this person (anonymous too) see the stored photo with this key?"""
    if await ProgressPhoto.exists(key=key) or await Spending.exists(receipt_key=key):
        return True
    if await issue_views.photo_visible(user, key):
        return True
    for resident_id, community_id in await Rating.filter(photo_key=key).values_list('resident_id',
                                                                                     'survey__community_id'):
        if (user.resident_id is not None and resident_id == user.resident_id) or \
                can(user, 'rating.read', community_id):
            return True
    return False
