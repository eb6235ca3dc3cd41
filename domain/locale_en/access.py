"""Roles, API keys and the JSON API (helper E)."""
EN = {
    # /admin/roles
    '人员与角色': 'People and roles',
    '{community}的工作人员、两委成员、监督委员会成员、志愿者和管理员。居民身份来自居民登记，不在这里添加。':
        'Staff, committee members, supervisors, volunteers and administrators of {community}. '
        'Being a resident comes from the resident register and is not added here.',
    '新建工作人员账号': 'New staff account',
    '给已有的人添加角色': 'Give someone a role',
    '还没有人担任角色': 'Nobody holds a role yet',
    '也是本社区登记的居民': 'Also a registered resident of this community',
    '账号已停用，不能登录': 'Account disabled: cannot sign in',
    '撤销': 'Revoke',
    '添加角色': 'Add a role',
    '撤销{name}的“{role}”角色？': 'Take the role "{role}" away from {name}?',
    '已撤销': 'Revoked',
    '给{name}添加角色': 'Give {name} a role',
    '角色': 'Role',
    '已添加角色': 'Role added',
    '添加': 'Add',
    '用手机号和密码登录。请把初始密码当面告诉本人。':
        'They sign in with phone number and password. Tell them the initial password in person.',
    '初始密码': 'Initial password',
    '账号已建好': 'Account created',
    '建立账号': 'Create account',
    '按姓名、手机号或房号查找本社区的居民，或输入完整手机号查找已有账号。':
        'Find a resident of this community by name, phone or room, or an existing account by its full phone number.',
    '姓名、手机号或房号': 'Name, phone or room',
    '已把{name}设为{role}': '{name} is now {role}',
    '没有找到': 'Nobody found',
    '查找': 'Search',
    # /admin/api-keys
    '接口密钥': 'API keys',
    '其他系统（例如 12345 热线）用接口密钥读取{community}的小区、楼栋和住户信息。':
        'Other systems (such as the 12345 hotline) use an API key to read the compounds, buildings and households '
        'of {community}.',
    '接口不提供姓名和手机号。': 'The API gives no names and no phone numbers.',
    '接口说明文档': 'API documentation',
    '还没有接口密钥': 'No API keys yet',
    '新建密钥': 'New key',
    '用途': 'Purpose',
    '例如：12345 热线对接': 'e.g. 12345 hotline integration',
    '已吊销': 'Revoked',
    '有效': 'Active',
    '密钥开头：{prefix}…': 'Key starts with: {prefix}…',
    '创建于 {at}': 'Created {at}',
    '最近使用：{at}': 'Last used: {at}',
    '从未使用': 'never',
    '吊销于 {at}': 'Revoked {at}',
    '吊销密钥“{name}”？使用它的系统将立即无法读取数据，且无法恢复。':
        'Revoke the key "{name}"? The system using it loses access at once; this cannot be undone.',
    '吊销': 'Revoke',
    '密钥已吊销': 'Key revoked',
    '密钥“{name}”已创建': 'Key "{name}" created',
    '请现在复制并妥善保存。关闭后将无法再次查看完整密钥；丢失了只能吊销后重新创建。':
        'Copy it now and keep it safe. Once closed, the full key is never shown again; '
        'if it is lost, revoke it and create a new one.',
    '已复制': 'Copied',
    '复制密钥': 'Copy key',
    '我已保存，关闭': 'I have saved it, close',
    # shared dialog
    '确定': 'OK',
    # domain.access and services.roles
    '居民身份来自居民登记和核验，不能直接授予':
        'Being a resident comes from registration and verification; it cannot be granted',
    '没有这种角色：{role}': 'No such role: {role}',
    '您是本社区唯一的管理员，不能撤销自己的管理员身份；请先让另一人成为管理员':
        'You are the only administrator of this community and cannot remove your own administrator role; '
        'make someone else an administrator first',
    '这是本社区唯一的管理员，请先让另一人成为管理员':
        'This is the only administrator of this community; make someone else an administrator first',
    '这个手机号已经有账号了，请用“给已有的人添加角色”':
        'This phone number already has an account; use "Give someone a role"',
    '找不到这个账号': 'No such account',
    '找不到这位居民': 'Resident not found',
    '这个手机号已被另一位居民的账号使用，请先核对手机号':
        "This phone number is used by another resident's account; please check the number",
    # JSON API
    '数据库无法连接，请联系系统管理员': 'The database cannot be reached; contact the system administrator',
    '找不到这个社区': 'Community not found',
    '找不到这个小区': 'No such compound',
    '找不到这个楼栋': 'No such building',
    # role labels (domain.permissions.ROLE_LABELS)
    '居民': 'Resident',
    '志愿者': 'Volunteer',
    '社区工作者': 'Community worker',
    '两委成员': 'Committee member',
    '居务监督委员会': 'Supervisory committee',
    '管理员': 'Administrator',
}
