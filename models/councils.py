"""The 4+N and 5+N deliberation councils and their filled seats."""
from tortoise import fields
from tortoise.models import Model


class Council(Model):
    """社区议事协商委员会 (4+N) or a compound's 议事会 (5+N city / 4+N village)."""
    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField('models.Community', related_name='councils', on_delete=fields.CASCADE)
    compound: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Compound', related_name='councils', null=True, on_delete=fields.CASCADE)
    level = fields.CharField(max_length=20)  # domain.seats.TEMPLATES key
    name = fields.CharField(max_length=60)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = 'council'


class Seat(Model):
    """One filled seat: a resident (or an outside representative by name) in one seat kind of a council."""
    id = fields.IntField(primary_key=True)
    council = fields.ForeignKeyField('models.Council', related_name='seats', on_delete=fields.CASCADE)
    kind = fields.CharField(max_length=20)  # domain.seats seat key, or 'stakeholder' for the +N
    resident: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Resident', related_name='seats', null=True, on_delete=fields.SET_NULL)
    holder_name = fields.CharField(max_length=40)
    organisation = fields.CharField(max_length=60, null=True)  # 物业服务企业, 社会组织 …
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = 'seat'
