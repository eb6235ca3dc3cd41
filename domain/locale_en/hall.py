"""The online hall (线上议事厅) and its proposals (金字塔议事)."""
EN = {
    '线上议事厅': 'Online hall',
    '线上议事厅（{n} 条）': 'Online hall ({n} posts)',
    '指尖上的协商：说说您的看法，提出您的方案':
        'Deliberation at your fingertips: say what you think, propose a solution',
    '共 {n} 条发言': '{n} posts',
    '居民方案': 'Residents’ proposals',
    '金字塔议事：骨干提方案，大家来表决。觉得有好办法，发表时勾选“这是我的解决方案”。':
        'The pyramid: backbone residents propose, everyone votes. Have a good idea? Tick “this is my solution” '
        'when you post.',
    '还没有方案': 'No proposals yet',
    '大家的发言': 'What people say',
    '还没有人发言，说说您的看法吧': 'Nobody has posted yet. Tell us what you think',
    '去那条议题的议事厅': 'Go to that issue’s hall',
    '我的看法': 'What I think',
    '这是我的解决方案（方案）': 'This is my solution (proposal)',
    '已发表': 'Posted',
    '发表': 'Post',
    '回复 {name}': 'Reply to {name}',
    '回复内容': 'Your reply',
    '回复': 'Reply',
    '隐藏这条发言': 'Hide this post',
    '大家会看到“此条已被隐藏”和原因，发言人会收到通知。':
        'Everyone will see “this post was hidden” and the reason; the author is notified.',
    '隐藏': 'Hide',
    '已隐藏': 'Hidden',
    '方案': 'Proposal',
    '此条已被隐藏：{reason}': 'This post was hidden: {reason}',
    '取消方案': 'Not a proposal',
    '标为方案': 'Mark as proposal',
    # services.hall and domain.hall
    '回复不能作为方案，请单独发表您的方案': 'A reply cannot be a proposal: please post your proposal on its own',
    '只有发言人自己或社区工作者可以把发言标为方案': 'Only the author or community staff can mark a post as a proposal',
    '找不到这条发言': 'Post not found',
    '这条议题已并入《{title}》，请到那条议题的议事厅发言':
        'This issue was merged into “{title}”: please post in that issue’s hall',
    '这条议题已结束（{state}），议事厅已关闭': 'This issue is finished ({state}); its hall is closed',
    '实名核验后才能在议事厅发言，请联系社区工作人员':
        'You can post once your identity is verified. Please contact the community office',
    '要回复的发言不存在或已被隐藏': 'The post you are replying to is gone or hidden',
    '请写下您的看法（至少 {n} 个字）': 'Please write what you think (at least {n} characters)',
    '隐藏时请写明原因，发言人会收到': 'Please give a reason for hiding; the author will read it',
    '提交编号无效，请刷新页面后再发': 'Invalid submission number. Please refresh the page and post again',
}
