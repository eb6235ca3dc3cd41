"""Votes (services): defining, opening, closing, cancelling and finalising, and their guards."""
EN = {
    '找不到这次表决': 'Vote not found',
    '还没到截止时间': 'The deadline has not come yet',
    '提前结束表决需要写明原因': 'Please give a reason for closing the vote early',
    '取消表决需要写明原因': 'Please give a reason for cancelling the vote',
    '这次表决刚被别人处理过，请刷新后再试': 'Someone has just changed this vote; please refresh and try again',
    '请选择参加表决的小区或楼栋': 'Please choose the compounds or buildings that vote',
    '请选择本社区的小区和楼栋': 'Please choose compounds and buildings of this community',
    '请选择本社区的议事会': 'Please choose a meeting of this community',
    '只有审核通过、需要提交表决的协商成果可以发起表决':
        'Only an approved outcome that is to be put to a vote can start a vote',
    '这条协商成果已经发起过表决': 'A vote has already been started for this outcome',
    '表决现在是“{state}”，不能再开始': 'The vote is “{state}” and cannot be opened',
    '请至少写两个选项': 'Please write at least two options',
    '现场投票需要选择在哪次议事会上投票': 'On-site voting needs the meeting where people vote',
    '截止时间已过，请先修改表决时间': 'The deadline has passed; please change the times first',
    '参加表决的房屋面积合计为 0，请先核对房屋面积':
        'The units that vote add up to 0 m²; please check the floor areas first',
    '表决现在是“{state}”，不能结束': 'The vote is “{state}” and cannot be closed',
    '表决还没开始，不能结束；不需要表决了请取消':
        'The vote has not started and cannot be closed; cancel it if it is no longer needed',
    '表决现在是“{state}”，不能生效': 'The vote is “{state}” and cannot become final',
    '公示到{month}月{day}日 {time}结束，之后才能生效':
        'The public notice period ends on {month}/{day} at {time}; the result becomes final after that',
    '还有 {n} 条异议没有答复': '{n} objection(s) not yet answered',
    '选民名单是空的：请先核验参加表决的居民，或检查所选范围':
        'The roll is empty: verify the residents who vote first, or check the places chosen',
    '表决已经开始或结束，不能再修改': 'The vote has started or ended and can no longer be changed',
}
