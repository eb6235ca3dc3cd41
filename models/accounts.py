"""Sign-in identities, their roles per community, throttles and API keys."""
from tortoise import fields
from tortoise.models import Model


class Account(Model):
    """Who signs in: staff/admins by phone + password, residents by their link and then a 6-digit PIN."""
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=40)
    phone = fields.CharField(max_length=11, null=True, unique=True)
    password_hash = fields.CharField(max_length=200, null=True)  # argon2
    pin_hash = fields.CharField(max_length=200, null=True)  # argon2
    resident: fields.OneToOneNullableRelation = fields.OneToOneField(
        'models.Resident', related_name='account', null=True, on_delete=fields.SET_NULL)
    elder_mode = fields.BooleanField(default=False)
    language = fields.CharField(max_length=5, default='zh')
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)

    roles: fields.ReverseRelation['RoleGrant']

    class Meta:
        table = 'account'


class RoleGrant(Model):
    """A role of an account in one community (domain.permissions.ROLES)."""
    id = fields.IntField(primary_key=True)
    account = fields.ForeignKeyField('models.Account', related_name='roles', on_delete=fields.CASCADE)
    community = fields.ForeignKeyField('models.Community', related_name='role_grants', on_delete=fields.CASCADE)
    role = fields.CharField(max_length=12)
    granted_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='grants_given', null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = 'role_grant'
        unique_together = (('account', 'community', 'role'),)


class LoginThrottle(Model):
    """Failed sign-in attempts per key ('pw:<phone>', 'pin:<phone>'), known account or not."""
    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=40, unique=True)
    failures = fields.IntField(default=0)
    last_failure_at = fields.DatetimeField(null=True)
    locked_until = fields.DatetimeField(null=True)

    class Meta:
        table = 'login_throttle'


class ApiKey(Model):
    """An integration's key: only a SHA-256 of it is stored; the prefix lets an admin recognise it."""
    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField('models.Community', related_name='api_keys', on_delete=fields.CASCADE)
    name = fields.CharField(max_length=60)
    prefix = fields.CharField(max_length=12, unique=True)
    key_hash = fields.CharField(max_length=64, unique=True)
    created_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='api_keys_created', null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'api_key'
