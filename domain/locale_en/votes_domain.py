"""domain.votes, domain.tally and domain.tally_words: states, labels, rules and their laws, refusals, reasons.

'通过' (a verdict) is not here: domain/locale_en/minutes.py already has it as the button 'Approve'.
"""
EN = {
    # states, phases, labels
    '公示中': 'Public notice period', '已生效': 'In effect', '已作废': 'Annulled', '未开始': 'Not started',
    '已到截止时间': 'Past the closing time',
    '赞成/反对/弃权': 'For / against / abstain', '单选': 'Single choice', '多选': 'Multiple choice',
    '指定小区或楼栋': 'Chosen compounds or buildings',
    '按人': 'One vote per person', '按户（一户一票）': 'One vote per household',
    '按业主人数和专有面积': 'By owners and floor area',
    '手机投票': 'On a phone', '现场投票': 'On site', '纸质选票': 'Paper ballot', '委托投票': 'By proxy',
    '未通过': 'Not passed', '参与不足，表决无效': 'Too few took part: no decision',
    '票数相同，未能决出': 'Tied: no decision',
    '赞成': 'For', '反对': 'Against', '弃权': 'Abstain',
    # rules and their legal sources
    '业主共同决定（一般事项）': 'Owners’ joint decision (ordinary matters)',
    '业主共同决定（筹集维修资金、改建重建、改变共有部分用途或经营）':
        'Owners’ joint decision (raising the maintenance fund, rebuilding, changing the use of common parts)',
    '居民会议': 'Residents’ meeting', '村民会议': 'Villagers’ meeting',
    '村民代表会议': 'Village representatives’ meeting',
    '村民小组会议': 'Village group meeting', '简单多数': 'Simple majority', '自定义规则': 'Custom rule',
    '《中华人民共和国民法典》第二百七十八条': 'Civil Code of the PRC, Article 278',
    '《中华人民共和国民法典》第二百七十八条第一款第六项至第八项': 'Civil Code of the PRC, Article 278(1), items 6 to 8',
    '《中华人民共和国城市居民委员会组织法》第九条': 'Organic Law of Urban Residents’ Committees, Article 9',
    '《中华人民共和国村民委员会组织法》第二十二条': 'Organic Law of Villagers’ Committees, Article 22',
    '《中华人民共和国村民委员会组织法》第二十六条': 'Organic Law of Villagers’ Committees, Article 26',
    '《中华人民共和国村民委员会组织法》第二十八条': 'Organic Law of Villagers’ Committees, Article 28',
    '议事规则约定': 'Agreed in the meeting rules',
    # thresholds
    '过半数': 'more than half', '半数以上': 'at least half', '三分之二以上': 'at least two thirds',
    '四分之三以上': 'at least three quarters', '超过三分之二': 'more than two thirds',
    '全体一致': 'everyone (unanimous)',
    # refusals (domain.votes)
    '表决“{current}”时不能改为“{target}”': 'A vote that is “{current}” cannot become “{target}”',
    '请填写通过需要的比例': 'Please give the share needed to pass',
    '比例要在 0 和 1 之间，例如 2/3，分母不超过 100':
        'A share must be between 0 and 1, like 2/3, with a denominator of at most 100',
    '通过需要的比例不能低于半数': 'The share needed to pass cannot be below half',
    '请填写表决事项的标题，不超过 60 个字': 'Please give the vote a title of at most 60 characters',
    '说明太长了，请不超过 2000 个字': 'The description is too long: at most 2000 characters',
    '请选择表决方式：赞成/反对/弃权、单选或多选':
        'Please choose the ballot: for/against/abstain, single or multiple choice',
    '请至少写两个选项': 'Please write at least two options',
    '选项太多了，最多 20 个': 'Too many options: at most 20',
    '每个选项都要写内容，不超过 60 个字': 'Every option needs text of at most 60 characters',
    '有两个选项写得一样，请修改': 'Two options are the same: please change one',
    '最多可选几项要在 1 到选项个数之间': 'The number of choices allowed must be between 1 and the number of options',
    '请选择谁参加表决': 'Please choose who takes part in the vote',
    '请选择按人、按户还是按业主计票': 'Please choose to count by person, by household or by owner',
    '居民代表表决只能按人计票': 'A vote of representatives is counted per person',
    '请选择表决规则': 'Please choose the voting rule',
    '按《民法典》第二百七十八条表决，要按业主人数和专有面积计票':
        'A vote under Civil Code Article 278 is counted by owners and their floor area',
    '村民代表会议只能由代表参加表决，请选择“居民代表”':
        'Only representatives vote in a village representatives’ meeting: please choose “Residents’ representative”',
    '“{rule}”不能{counting}计票': '“{rule}” cannot be counted this way: {counting}',
    '请至少选择一种投票方式': 'Please choose at least one way to vote',
    '投票方式不对': 'That way of voting is not available',
    '一位受托人最多代几户投票，要在 1 到 10 之间':
        'The number of people one proxy may vote for must be between 1 and 10',
    '请填写开始和截止时间': 'Please give the opening and closing times',
    '截止时间要在开始时间至少 5 分钟之后': 'The closing time must be at least 5 minutes after the opening time',
    '表决时间太长了，最多 90 天': 'The vote runs too long: at most 90 days',
    '公示天数要在 1 到 30 天之间': 'The public notice period must be between 1 and 30 days',
    '请先选择一项': 'Please choose an option first',
    '选票上没有这个选项，请刷新后重新选择': 'That option is not on the ballot: please reload and choose again',
    '同一个选项只能选一次': 'Each option can be chosen only once',
    '这次表决只能选一项': 'You can choose only one option in this vote',
    '最多只能选 {k} 项': 'You can choose at most {k} options',
    # figures and reasons (domain.tally_words)
    '约 {value}': 'about {value}', '{fraction}（{percent}）': '{fraction} ({percent})', '、': ', ',
    '户数': 'Households', '业主人数': 'Owners', '人数': 'Head count', '面积': 'floor area',
    '{n} 票': '{n} votes',
    '达到{label}的要求': 'meets the requirement of {label}',
    '没有达到{label}的要求': 'does not meet the requirement of {label}',
    '不要求参与人数': 'No minimum turnout',
    '参与表决的{who}要达到全体的{label}': '{who} taking part must be {label} of all',
    '，专有面积也要达到总面积的{label}': ', and their floor area {label} of the total area',
    '同意的要占参与表决{who}的{label}': 'those in favour must be {label} of the {who} taking part',
    '，同意者的专有面积也要占参与表决面积的{label}': ', and their floor area {label} of the area taking part',
    '{turnout}；{approval}（弃权也算参与表决）。依据：{source}':
        '{turnout}; {approval} (abstentions count as taking part). Basis: {source}',
    '参与表决 {voted}（共 {total}），这条规则不要求参与人数':
        'Taking part: {voted} (of {total}); this rule sets no minimum turnout',
    '参与表决的{who} {voted}，占全体 {total}的 {share}，{outcome}':
        '{who} taking part: {voted} of {total}, that is {share}; {outcome}',
    '参与表决的专有面积 {voted} 平方米，占总面积 {total} 平方米的 {share}，{outcome}':
        'Floor area taking part: {voted} m² of {total} m², that is {share}; {outcome}',
    '名册上没有可以参加表决的人，本次表决无效': 'Nobody is on the roll, so this vote has no effect',
    '没有人参加表决，本次表决无效': 'Nobody took part, so this vote has no effect',
    '人数和面积': 'head count and floor area',
    '参与表决的{what}没有达到规定，本次表决无效，不计算是否通过':
        'The {what} taking part is below the requirement: this vote has no effect and is not counted further',
    '赞成 {heads}，占参与表决 {voted}的 {share}，{outcome}':
        'For: {heads} of {voted} taking part, that is {share}; {outcome}',
    '{name}得 {heads}，占参与表决 {voted}的 {share}，{outcome}':
        '{name} received {heads} of {voted} taking part, that is {share}; {outcome}',
    '；面积 {area} 平方米，占参与表决面积 {voted} 平方米的 {share}，{outcome}':
        '; floor area {area} m² of {voted} m² taking part, that is {share}; {outcome}',
    '反对 {no}（{no_area} 平方米），弃权 {abstain}（{abstain_area} 平方米）；弃权也算参与表决':
        'Against: {no} ({no_area} m²); abstaining: {abstain} ({abstain_area} m²); abstentions count as taking part',
    '反对 {no}，弃权 {abstain}；弃权也算参与表决':
        'Against: {no}; abstaining: {abstain}; abstentions count as taking part',
    '所以，本次表决通过': 'So the vote passed',
    '赞成和反对一样多，票数相同，未能决出结果': 'For and against are equal: a tie, so there is no decision',
    '赞成没有达到{label}，所以本次表决未通过': 'Those in favour are not {label}, so the vote did not pass',
    '每人最多选 {k} 项；达到要求的选项中，按票数从多到少最多取 {k} 项':
        'Each voter may choose up to {k}; of the options that meet the requirement, up to {k} with the most votes pass',
    '（票数相同时比面积）': ' (equal votes: the larger floor area ranks first)',
    '所以，{names}获得通过': 'So {names} passed',
    '{names}票数相同，未能决出结果': '{names} have equal votes: a tie, so there is no decision',
    '第 {k} 名有{names}票数相同，未能决出结果': '{names} share place {k}: a tie, so there is no decision',
    '没有选项达到{label}，所以本次表决未通过': 'No option has {label}, so the vote did not pass',
}
