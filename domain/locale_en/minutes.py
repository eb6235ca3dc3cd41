"""Minutes (纪要) and outcomes (协商成果) with the Party organisation's review."""
EN = {
    # the minutes page
    '纪要与协商成果': 'Minutes and outcomes',
    '待审核的协商成果': 'Outcomes awaiting review',
    '这次议事会还没有议程': 'This meeting has no agenda yet',
    '纪要': 'Minutes',
    '记录于 {at}': 'Recorded {at}',
    '还没有纪要': 'No minutes yet',
    '协商成果': 'Outcome',
    '协商成果经党组织审核后公开': 'The outcome is published once the Party organisation has reviewed it',
    '纪要已保存': 'Minutes saved',
    '退回意见：{note}': 'Returned: {note}',
    '成果类型': 'Kind of outcome',
    '已提交审核': 'Sent for review',
    '草稿已保存': 'Draft saved',
    '保存草稿': 'Save draft',
    '提交审核': 'Send for review',
    '已审核 {date}': 'Reviewed {date}',
    '已通过，成果已公开': 'Approved: the outcome is now public',
    '通过': 'Approve',
    '退回（写明原因）': 'Return (say why)',
    '需要修改什么（必填）': 'What needs to change (required)',
    '退回': 'Return',
    '已退回': 'Returned',
    # the review queue
    '协商成果审核': 'Outcome review',
    '两委审核后，协商成果才会公开；提交表决的成果随后交居民表决。':
        'Outcomes become public once the committee has reviewed them; those for a vote then go to the residents.',
    '没有待审核的协商成果': 'No outcomes awaiting review',
    '{name} 提交于 {at}': 'Sent by {name} at {at}',
    # services.minutes
    '请选择成果类型：提交表决、会上议定、转交办理或暂缓再议':
        'Please choose the kind: put to a vote, decided at the meeting, referred, or deferred',
    '请写清楚协商成果（至少 {n} 个字）': 'Please write the outcome out (at least {n} characters)',
    '找不到这项议程': 'Agenda item not found',
    '找不到这条协商成果': 'Outcome not found',
    '找不到这次议事会': 'Meeting not found',
    '协商成果“{state}”，不能再修改': 'The outcome is “{state}” and can no longer be changed',
    '这条协商成果刚被别人处理过，请刷新后再试': 'Someone else just handled this outcome. Please refresh and try again',
}
