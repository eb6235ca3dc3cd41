"""Check-in (签到): the meeting QR page, walk-ins, the volunteer's search page and the answers of every scan."""
EN = {
    '签到': 'Check in',
    '签到成功': 'Checked in',
    '已签到 {at}': 'Already checked in at {at}',
    '已有登记，签到成功': 'Already registered: checked in',
    '这次扫码未计入签到': 'This scan was not counted',
    '待社区核实身份': 'To be verified by the community',
    '议事会签到': 'Meeting check-in',
    '我是志愿者：帮别人签到': 'I am a volunteer: check others in',
    '登录后签到': 'Sign in to check in',
    '我是第一次来': 'I am here for the first time',
    '第一次来？登记后即可签到，社区工作人员会后核实。':
        'First time here? Register to check in; community staff will verify you afterwards.',
    '住址，例如 3栋502': 'Address, e.g. 3栋502',
    '登记并签到': 'Register and check in',
    '搜索签到': 'Check in by search',
    '现在不在签到时间内（开会前一小时到会议结束）':
        'Check-in is not open now (from an hour before the meeting until it ends)',
    '用摄像头扫居民个人码': "Scan a resident's personal code with the camera",
    '姓名、手机号后四位或房号': 'Name, last 4 digits of the phone, or room',
    '没有找到，换个写法试试，或请本人扫签到二维码登记':
        'Nobody found: try another spelling, or ask the person to scan the check-in QR and register',
    '已签到 {n} 人': '{n} checked in',
    '请先以居民身份登录': 'Please sign in as a resident first',
    '您不是这个社区的居民，请到自己社区的议事会签到':
        "You are not a resident of this community: please check in at your own community's meetings",
    '签到请求不完整，请刷新页面后重试': 'The check-in request was incomplete: please reload the page and try again',
    '这位居民已迁出本社区，不能签到': 'This resident has moved out of the community and cannot check in',
    '这个手机号登记的居民已迁出，请联系社区工作人员':
        'The resident registered with this phone has moved out: please contact community staff',
    '这个签到二维码已作废，请扫描现场最新的签到二维码':
        'This check-in QR is no longer valid: please scan the newest one at the meeting',
    '请填写房号，例如 3栋502': 'Please fill in your room, e.g. 3栋502',
    '找不到这次议事会': 'Meeting not found',
    '这是议事会的签到二维码，请扫居民的个人码':
        "This is the meeting's check-in QR: please scan the resident's personal code",
}
