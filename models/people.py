"""Residents and their tags."""
from tortoise import fields
from tortoise.models import Model


class Resident(Model):
    """居民/村民: belongs to a household; verified by staff (实名核验) before counting in votes."""
    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField('models.Community', related_name='residents', on_delete=fields.RESTRICT)
    household: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Household', related_name='members', null=True, on_delete=fields.SET_NULL)
    name = fields.CharField(max_length=40)
    phone = fields.CharField(max_length=11, null=True)  # mainland mobile; unique within a community
    birth_year = fields.IntField(null=True)
    relation = fields.CharField(max_length=10, default='owner')  # owner 业主 | family 家属 | tenant 租户
    status = fields.CharField(max_length=10, default='pending')  # pending 待核验 | verified 已核验 | left 已迁出
    verified_at = fields.DatetimeField(null=True)  # who verified is in the audit log (resident.verified)
    registered_room = fields.CharField(max_length=80, null=True)  # what a self-registering person typed
    code_version = fields.IntField(default=1)  # bump to revoke the personal QR code
    login_version = fields.IntField(default=1)  # bump to revoke/consume the sign-in link
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    tags: fields.ReverseRelation['ResidentTag']

    class Meta:
        table = 'resident'
        unique_together = (('community', 'phone'),)
        indexes = (('community', 'name'),)


class ResidentTag(Model):
    """党员, 党员中心户, 居民代表, 居民骨干, 志愿者 (domain.people.TAGS)."""
    id = fields.IntField(primary_key=True)
    resident = fields.ForeignKeyField('models.Resident', related_name='tags', on_delete=fields.CASCADE)
    tag = fields.CharField(max_length=12)

    class Meta:
        table = 'resident_tag'
        unique_together = (('resident', 'tag'),)
