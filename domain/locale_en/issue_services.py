"""Messages of services/issues.py."""
EN = {
    '只有本社区居民可以提交，请先登录': 'Only residents of this community can submit; please sign in first',
    '请选择来源渠道': 'Choose the channel it came through',
    '请填写提出人姓名': "Fill in the name of the person who raised it",
    '缺少对接编号（reference）': 'The integration reference is missing',
    '不能附议自己提出的议题': 'You cannot support an issue you raised yourself',
    '这条记录刚被别人处理过，请刷新后再试': 'Someone else has just handled this; refresh and try again',
    '只能把同一社区的议题合并到一个仍在处理中的议题':
        'An issue can only be merged into an open issue of the same community',
    '请选择公共议题或微心愿': 'Choose a public issue or a micro-wish',
    '请用一句话写清楚是什么事（至少 2 个字）': 'Say in one sentence what it is about (at least 2 characters)',
    '请选择类别': 'Choose a category',
    '请选择本社区的小区和楼栋': 'Choose a compound and building of this community',
    '找不到这条议题': 'No such issue',
    '实名核验后才能附议，请联系社区工作人员': 'Only verified residents can support issues; ask community staff',
    '这条议题已结束，不能再附议': 'This issue is closed and can no longer be supported',
    '合并时请选择要并入的议题': 'Choose the issue to merge this one into',
    '合并到其他议题': 'Merge into another issue',
    '附议会转到保留的议题，提出人会收到通知。': 'Supports move to the issue that is kept; the author is notified.',
    '并入哪一条（输入标题查找）': 'Merge into (type to search by title)',
    '合并': 'Merge',
    '已合并': 'Merged',
}
