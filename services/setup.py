"""First-time setup from the command line: `python main.py --create-admin PHONE --community 街道/社区`."""
from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from domain import credentials
from domain.errors import DomainError
from domain.people import MAX_NAME, MAX_PLACE_NAME, clean_text, normalize_phone
from models import Account, Community, RoleGrant, Street
from services import audit, passwords


async def create_admin(*, phone: str, name: str, community_path: str, password: str,
                       at: datetime | None = None) -> str:
    """Create the street, community and an admin (also staff) account, or reset an existing one's password.

    Returns one Chinese line saying what was done. Errors: invalid_phone, invalid_name, invalid_community,
    weak_password.
    """
    try:
        phone = normalize_phone(phone)
    except ValueError as e:
        raise DomainError('invalid_phone', '手机号应为 11 位数字，以 1 开头') from e
    try:
        name = clean_text(name, max_len=MAX_NAME) or '管理员'
    except ValueError as e:
        raise DomainError('invalid_name', '姓名{reason}', reason=str(e)) from e
    street_name, community_name = _split_path(community_path)
    if problem := credentials.password_problem(password, phone=phone):
        raise DomainError('weak_password', problem)
    password_hash = passwords.hash_secret(password)
    async with in_transaction() as conn:
        street, _ = await Street.get_or_create(name=street_name, using_db=conn)
        community, community_created = await Community.get_or_create(street=street, name=community_name,
                                                                     using_db=conn)
        account = await Account.get_or_none(phone=phone).using_db(conn)
        account_created = account is None
        if account is None:
            account = await Account.create(name=name, phone=phone, password_hash=password_hash, using_db=conn)
        else:
            account.password_hash, account.is_active = password_hash, True
            await account.save(update_fields=['password_hash', 'is_active'], using_db=conn)
        for role in ('admin', 'staff'):
            await RoleGrant.get_or_create(account=account, community=community, role=role, using_db=conn)
        await audit.record('account.admin.created' if account_created else 'account.admin.password_reset',
                           actor_id=None, community_id=community.id, target=account, at=at,
                           data={'via': 'command line'}, using_db=conn)
    where = f'{street.name}/{community.name}' + ('（新建）' if community_created else '')
    if account_created:
        return f'已创建管理员 {account.name}（{phone}），社区：{where}。请用手机号和密码登录 /login'
    return f'已重设 {account.name}（{phone}）的密码，并确认其为 {where} 的管理员。'


def _split_path(path: str) -> tuple[str, str]:
    parts = [part.strip() for part in (path or '').replace('／', '/').split('/')]
    if len(parts) != 2 or not all(parts):
        raise DomainError('invalid_community', '请用“街道/社区”的形式写社区，例如 西陵街道/船柴社区')
    for part in parts:
        try:
            clean_text(part, max_len=MAX_PLACE_NAME)
        except ValueError as e:
            raise DomainError('invalid_community', '社区名称{reason}', reason=str(e)) from e
    return parts[0], parts[1]
