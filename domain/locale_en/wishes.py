"""The 心愿墙: claiming, fulfilling, confirming and rating micro-wishes."""
EN = {
    # the wall
    '心愿墙': 'Wish wall',
    '心愿墙：认领邻居的微心愿': 'Wish wall: take on a neighbour’s micro-wish',
    '群众点单，党员接单：认领一个心愿，帮邻居一把':
        'Residents ask, party members and volunteers answer: take on a wish and lend a neighbour a hand',
    '许个心愿': 'Make a wish',
    '还没有心愿': 'No wishes yet',
    '心愿人': 'Wisher',
    '帮忙的人': 'Helper',
    '认领后双方才能看到对方的联系方式': 'Both sides see each other’s contact details once the wish is taken on',
    '认领': 'Take it on',
    '确定认领“{title}”吗？认领后请尽快联系心愿人。': 'Take on “{title}”? Please contact the wisher soon afterwards.',
    '认领成功，请尽快联系心愿人': 'It is yours. Please contact the wisher soon',
    # one wish
    '评价：{rating}': 'Rating: {rating}',
    '完成了': 'Done',
    '心愿完成了吗？': 'Is the wish fulfilled?',
    '确认并评价': 'Confirm and rate',
    '您满意吗？': 'Are you satisfied?',
    '想说的话（可不填）': 'A few words (optional)',
    '确认': 'Confirm',
    '谢谢您的评价': 'Thank you for your rating',
    '没完成': 'Not done',
    '还没完成？': 'Not done yet?',
    '放弃认领': 'Give it up',
    '发布到心愿墙': 'Put it on the wish wall',
    '不予受理': 'Decline',
    # ratings and who claims
    '满意': 'Satisfied',
    '基本满意': 'Fairly satisfied',
    '不满意': 'Not satisfied',
    '社会组织': 'Social organisation',
    # refusals
    '不能认领自己的心愿': 'You cannot take on your own wish',
    '志愿者、党员、社区工作者和社会组织可以认领心愿':
        'Volunteers, party members, community workers and social organisations can take on wishes',
    '这个心愿刚被 {name} 认领了': '{name} has just taken on this wish',
    '这个心愿刚被别人处理过，请刷新后再试': 'Someone else has just changed this wish. Please refresh and try again',
    '请选择满意、基本满意或不满意': 'Please choose satisfied, fairly satisfied or not satisfied',
    '找不到这个心愿': 'This wish cannot be found',
    '认领、放弃认领和评价请在心愿页面操作': 'Taking on, giving up and rating a wish are done on the wish’s own page',
    '说明': 'Note',
    '评价': 'Rating',
}
