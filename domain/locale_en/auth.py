"""Sign-in, PIN, personal code, self-registration, 我的 (helper D)."""
EN = {
    # sign-in errors
    '手机号或密码不正确': 'Wrong phone number or password',
    '手机号或数字密码不正确': 'Wrong phone number or PIN',
    '数字密码应为 6 位数字': 'The PIN must be 6 digits',
    '错误次数太多，请 {wait}后再试': 'Too many wrong attempts; try again in {wait}',
    '手机号或密码不正确，错误次数太多，请 {wait}后再试':
        'Wrong phone number or password, too many times; try again in {wait}',
    '您已迁出本社区，如有疑问请联系社区工作人员':
        'You have moved out of this community; ask community staff if this is wrong',
    '手机号应为 11 位数字，以 1 开头': 'The phone number must be 11 digits starting with 1',
    '这位居民已迁出，不能发登录链接': 'This resident has moved out; no sign-in link can be issued',
    '这个登录链接已用过或已作废，请向社区工作人员索取新的':
        'This sign-in link has been used or cancelled; ask community staff for a new one',
    '这个账号已停用，请联系社区工作人员': 'This account is disabled; please contact community staff',
    '这个手机号已被另一位居民的账号使用，请先核对手机号':
        "This phone number is used by another resident's account; please check the number",
    '原来的数字密码不正确': 'The current PIN is wrong',
    '原密码不正确': 'The current password is wrong',
    '不支持这种语言': 'This language is not supported',
    '请先登录': 'Please sign in first',
    # PIN and password rules
    '这个数字密码太容易被猜到，请换一个（不要用 123456、111111 这样的数字）':
        'This PIN is too easy to guess; choose another (not 123456, 111111 and the like)',
    '不要用手机号的后 6 位做数字密码，请换一个': 'Do not use the last 6 digits of your phone number; choose another',
    '密码至少 8 位': 'The password needs at least 8 characters',
    '密码太长（最多 128 位）': 'The password is too long (at most 128 characters)',
    '这个密码太容易被猜到，请换一个': 'This password is too easy to guess; choose another',
    # tokens
    '这是其他社区的居民个人码': "This is a personal code from another community",
    '这个个人码已作废，请使用新的个人码': 'This personal code has been cancelled; please use the new one',
    '这个登记二维码已停用，请扫描社区最新张贴的二维码':
        "This registration QR code is no longer valid; scan the community's latest poster",
    '找不到这个社区': 'Community not found',
    '找不到这位居民': 'Resident not found',
    '找不到这栋楼': 'Building not found',
    # self-registration
    '请填写姓名': 'Please enter your name',
    '请选择您住的小区和楼栋': 'Please choose your compound and building',
    '请填写房号，例如 2单元502': 'Please enter your room, e.g. unit 2 room 502',
    '请选择您是业主、家属还是租户': 'Please choose owner, family member or tenant',
    '此手机号已登记，请直接登录或联系社区':
        'This phone number is already registered; sign in or contact the community',
    '居民登记': 'Resident registration',
    '欢迎加入{community}': 'Welcome to {community}',
    '填好下面的信息，社区工作人员核对后即可参与议事和表决。':
        'Fill in the form; once community staff have checked it you can join discussions and votes.',
    '姓名': 'Name',
    '出生年份，例如 1956': 'Year of birth, e.g. 1956',
    '小区': 'Compound',
    '楼栋': 'Building',
    '房号，例如 2单元502': 'Room, e.g. unit 2 room 502',
    '住址，例如 张家湾 12 号': 'Address, e.g. Zhangjiawan No. 12',
    '设置 6 位数字密码': 'Choose a 6-digit PIN',
    '以后用手机号和这个数字密码登录。': 'From now on, sign in with your phone number and this PIN.',
    '提交': 'Submit',
    '已提交，等待社区核验': 'Submitted — waiting for the community to verify',
    '核验通过前，您可以先看看社区的议题。': "Until then, you can look at the community's issues.",
    '业主': 'Owner',
    '家属': 'Family member',
    '租户': 'Tenant',
    # setup
    '姓名{reason}': 'Name: {reason}',
    '请用“街道/社区”的形式写社区，例如 西陵街道/船柴社区':
        'Write the community as "street/community", e.g. 西陵街道/船柴社区',
    '社区名称{reason}': 'Community name: {reason}',
    # /login, /logout, /l/
    '您已登录：{name}': 'Signed in as {name}',
    '继续': 'Continue',
    '退出登录': 'Sign out',
    '居民': 'Resident',
    '工作人员': 'Staff',
    '您已退出登录': 'You have signed out',
    '重新登录': 'Sign in again',
    '回到首页': 'Back to home',
    '欢迎，{name}': 'Welcome, {name}',
    '点下面的按钮登录共商。这个链接只能用一次，请不要转发给别人。':
        'Tap the button below to sign in. This link works only once; do not forward it.',
    '用手机号和 6 位数字密码登录。第一次使用请扫描社区发给您的登录二维码。':
        'Sign in with your phone number and 6-digit PIN. The first time, scan the sign-in QR code the '
        'community gave you.',
    '忘记数字密码？请找社区工作人员重新发登录二维码。':
        'Forgot your PIN? Ask community staff for a new sign-in QR code.',
    '社区工作人员、两委、监督委员会成员用手机号和密码登录。':
        'Community staff, committee and supervisory members sign in with phone number and password.',
    '手机号': 'Phone number',
    '6 位数字密码': '6-digit PIN',
    '密码': 'Password',
    # 我的
    '大字模式': 'Large text',
    '字更大、颜色更清楚，适合老年人': 'Bigger letters and stronger colours, easier for older eyes',
    '语言 / Language': '语言 / Language',
    '修改数字密码': 'Change PIN',
    '设置数字密码': 'Set PIN',
    '修改密码': 'Change password',
    '欢迎！请设置一个 6 位数字密码，下次用手机号和它登录。':
        'Welcome! Choose a 6-digit PIN; next time sign in with your phone number and this PIN.',
    '不要用 123456、111111 这样容易猜到的数字，也不要用手机号的后 6 位。':
        'Do not use easy numbers like 123456 or 111111, nor the last 6 digits of your phone number.',
    '两次输入的数字密码不一样': 'The two PINs are not the same',
    '数字密码已保存': 'PIN saved',
    '保存': 'Save',
    '两次输入的密码不一样': 'The two passwords are not the same',
    '密码已修改': 'Password changed',
    '原来的数字密码': 'Current PIN',
    '新的 6 位数字密码': 'New 6-digit PIN',
    '再输入一次': 'Enter it again',
    '原密码': 'Current password',
    '新密码（至少 8 位）': 'New password (at least 8 characters)',
    '只有登记为本社区居民的账号才有个人二维码': 'Only accounts registered as residents have a personal QR code',
    '参加议事会时出示给志愿者扫码': 'Show it to a volunteer to scan when you attend a meeting',
    '请把手机屏幕调到最亮，扫码更快': 'Turn your screen brightness up: scanning is quicker',
    '待核验': 'Waiting for verification',
    '已核验': 'Verified',
    '已迁出': 'Moved out',
    '党员': 'Party member',
    '党员中心户': 'Party member household',
    '居民代表': 'Residents’ representative',
    '居民骨干': 'Resident activist',
    '志愿者': 'Volunteer',
    '社区工作者': 'Community worker',
    '两委成员': 'Committee member',
    '居务监督委员会': 'Supervisory committee',
    '管理员': 'Administrator',
    # /c/
    '居民个人码': 'Personal code',
    '这是共商居民个人码，请由志愿者扫码签到': 'This is a Gongshang personal code: a volunteer scans it to check in',
    '未填写住址': 'No address given',
    '签到请使用议事会页面里的扫码签到': "To check someone in, use the scanner on the meeting's page",
    '二维码': 'QR code',
    # staff: links, cards, poster
    '登录二维码': 'Sign-in QR code',
    '居民用手机扫这个二维码即可登录，然后设置 6 位数字密码。':
        'The resident scans this QR code to sign in, then chooses a 6-digit PIN.',
    '生成新的登录二维码后，以前发的登录二维码就不能再用了。':
        'Once a new sign-in QR code is made, the earlier one stops working.',
    '{name} 的登录二维码': 'Sign-in QR code for {name}',
    '只能用一次，{date} 前有效。请当面交给本人。': 'Works once, until {date}. Hand it to the person themselves.',
    '打印': 'Print',
    '再生成一个': 'Make another',
    '生成登录二维码': 'Make sign-in QR code',
    '打印个人码': 'Print personal codes',
    '{title}：{count} 张': '{title}: {count} cards',
    '用 A4 纸打印，沿虚线剪开，发给没有智能手机的居民。':
        'Print on A4, cut along the dashed lines, and give them to residents without a smartphone.',
    '这里还没有登记的居民': 'No residents registered here yet',
    '共商居民个人码 · 参加议事会时出示': 'Gongshang personal code · show it at meetings',
    '登记二维码海报': 'Registration poster',
    '扫码登记，一起商量社区的事': 'Scan to register and talk community matters through together',
    '1. 用手机扫描上面的二维码': '1. Scan the QR code above with your phone',
    '2. 填写姓名、手机号和住址': '2. Enter your name, phone number and address',
    '3. 设置 6 位数字密码': '3. Choose a 6-digit PIN',
    '4. 社区工作人员核验后，就可以参与议事和表决':
        '4. Once community staff have verified you, join discussions and votes',
    '不会用手机？请到社区服务站找工作人员帮您登记。':
        'Not sure how? Community staff at the service station will register you.',
    '旧二维码已作废，请打印新的海报': 'The old QR code is cancelled; print the new poster',
    '作废后，已经贴出去的海报就扫不了了，需要重新打印张贴。确定吗？':
        'Posters already on the walls will stop working and must be reprinted. Are you sure?',
    '取消': 'Cancel',
    '确定作废': 'Cancel the old code',
    '作废旧二维码': 'Cancel old QR code',
}
