"""Street → community → compound → building → household."""
from tortoise import fields
from tortoise.models import Model


class Street(Model):
    """街道/乡镇: receives the 大事 referred upward."""
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=60, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = 'street'


class Community(Model):
    """社区 or 村: the unit that runs the app."""
    id = fields.IntField(primary_key=True)
    street = fields.ForeignKeyField('models.Street', related_name='communities', on_delete=fields.RESTRICT)
    name = fields.CharField(max_length=60)
    kind = fields.CharField(max_length=10, default='urban')  # urban 社区 | village 村 (domain.places.COMMUNITY_KINDS)
    join_version = fields.IntField(default=1)  # bump to revoke the printed self-registration QR
    satisfaction_threshold = fields.SmallIntField(default=80)  # percent: a rating round below it reopens for 整改
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = 'community'
        unique_together = (('street', 'name'),)


class Compound(Model):
    """小区 (or 村民小组 in a village)."""
    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField('models.Community', related_name='compounds', on_delete=fields.RESTRICT)
    name = fields.CharField(max_length=60)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = 'compound'
        unique_together = (('community', 'name'),)


class Building(Model):
    """楼栋 (or 自然湾组)."""
    id = fields.IntField(primary_key=True)
    compound = fields.ForeignKeyField('models.Compound', related_name='buildings', on_delete=fields.RESTRICT)
    name = fields.CharField(max_length=40)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = 'building'
        unique_together = (('compound', 'name'),)


class Household(Model):
    """户: one exclusive unit with its room number and floor area (the basis of area-weighted votes)."""
    id = fields.IntField(primary_key=True)
    building = fields.ForeignKeyField('models.Building', related_name='households', on_delete=fields.RESTRICT)
    room = fields.CharField(max_length=20)
    area_m2 = fields.DecimalField(max_digits=8, decimal_places=2)  # 建筑面积 from the property register
    occupancy = fields.CharField(max_length=12, default='owner')  # owner 自住 | rented 出租 | vacant 空置
    sale_status = fields.CharField(max_length=12, default='sold')  # sold 已售 | unsold 未售/未交付
    certificate_no = fields.CharField(max_length=40, null=True)  # 不动产权证号
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = 'household'
        unique_together = (('building', 'room'),)


class Ownership(Model):
    """The registered owner of a unit: one person owning several units is recognised here (最高法解释 第9条)."""
    id = fields.IntField(primary_key=True)
    household = fields.OneToOneField('models.Household', related_name='ownership', on_delete=fields.CASCADE)
    resident = fields.ForeignKeyField('models.Resident', related_name='owned_units', on_delete=fields.CASCADE)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = 'ownership'
