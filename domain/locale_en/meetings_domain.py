"""domain.meetings: formats, states, outcome kinds, check-in window and series errors."""
EN = {
    '会议协商': 'Council meeting', '一线协商': 'On-the-spot meeting',
    '线下': 'In person', '线上': 'Online', '线上线下': 'In person and online',
    '周周碰': 'Weekly meet-up (周周碰)', '月月议': 'Monthly meeting (月月议)',
    '星期一': 'Monday', '星期二': 'Tuesday', '星期三': 'Wednesday', '星期四': 'Thursday', '星期五': 'Friday',
    '星期六': 'Saturday', '星期日': 'Sunday',
    '待召开': 'Scheduled', '进行中': 'In progress', '已结束': 'Ended', '已取消': 'Cancelled',
    '议事会“{current}”时不能改为“{target}”': 'A meeting that is “{current}” cannot become “{target}”',
    '提交表决': 'Put to a vote', '会上议定': 'Decided at the meeting', '转交办理': 'Referred',
    '暂缓再议': 'Deferred',
    '草稿': 'Draft', '待审核': 'Awaiting review', '已审核公开': 'Reviewed and public',
    '退回修改': 'Returned for changes',
    '协商成果“{current}”时不能改为“{target}”': 'An outcome that is “{current}” cannot become “{target}”',
    '退回时请写明需要修改什么': 'When returning, please say what needs to change',
    '这次议事会已取消': 'This meeting was cancelled',
    '还没开始签到，请在开会前一小时内签到': 'Check-in has not started: it opens an hour before the meeting',
    '议事会已结束，这次扫码时间 {at} 在会议结束之后，未计入签到':
        'The meeting is over: this scan at {at} came after it ended and was not counted',
    '请选择周周碰或月月议': 'Please choose weekly or monthly',
    '开会时间不对': 'The meeting time is not valid',
    '请选择每周哪一天': 'Please choose the day of the week',
    '请选择每月 1 到 28 日中的一天': 'Please choose a day between the 1st and the 28th',
}
