"""The public board (公开栏) and the project's site poster."""
EN = {
    '没有找到这个社区': 'This community was not found',
    '这张海报已更换，请以现场的新海报为准。下面仍是这个项目的最新情况。':
        'This poster has been replaced; please use the new one on site. Below is the latest on this project.',
    '{community}公开栏': '{community} public board',
    '民事民办、民事民评：项目进度、经费收支和满意度，人人可看。':
        'Carrying it out and judging it: progress, money in and out and satisfaction, open to everyone.',
    '个项目': 'projects',
    '预算（元）': 'Budget (yuan)',
    '已支出（元）': 'Spent (yuan)',
    '还没有公开的项目': 'No projects published yet',
    '预算 {budget} 元 · 已支出 {spent} 元': 'Budget {budget} yuan · spent {spent} yuan',
    '撤销原因：{reason}': 'Cancelled because: {reason}',
    '牵头单位：{org}': 'Lead organisation: {org}',
    '联系人：{name} {phone}': 'Contact: {name} {phone}',
    '依据：{decision}': 'Decided by: {decision}',
    '进度 {progress}%': 'Progress {progress}%',
    '满意度 {rate}（第{round}轮：满意 {satisfied} · 基本满意 {fair} · 不满意 {unsatisfied}）':
        'Satisfaction {rate} (round {round}: satisfied {satisfied} · fair {fair} · unsatisfied {unsatisfied})',
    '{year}年惠民资金 {allowance} 元：已安排给项目 {committed} 元，已支出 {spent} 元，尚余 {left} 元':
        'Public-benefit fund {year}: {allowance} yuan; {committed} yuan committed to projects, {spent} yuan spent, '
        '{left} yuan left',
    # the verdicts of a closed round (domain.satisfaction.VERDICTS), shown through t() on the board
    '达标': 'passed',
    '未达标，整改': 'fell short, being put right',
    '无人评价': 'nobody rated',
    # the site poster
    '公开栏 · 扫码查看进度、评价': 'Public board · scan for progress and to rate',
    '扫码看进度、经费和投工投劳': 'Scan to see progress, money and pledged help',
    '完工后请扫码评价：满意 / 基本满意 / 不满意': 'When it is done, scan to rate: satisfied / fair / unsatisfied',
    '共商 · 民事民办 · 民事民评': 'Gongshang · carrying it out · judging it',
    '公开栏海报': 'Site poster',
    '打印后贴在施工现场：居民扫码就能看到进度、经费，完工后直接评价。':
        'Print it and put it up at the site: residents scan it to see progress and money, and to rate when it is done.',
    '下载 {format}': 'Download {format}',
    '打开公开栏': 'Open the public board',
    '作废后，已经贴出的旧海报扫码时会提示“海报已更换”，需要打印新海报贴上。确定作废吗？':
        'Once retired, scanning an old poster says it was replaced, and a new poster must be printed. Retire it?',
    '作废旧海报': 'Retire old posters',
    '旧海报已作废，请打印新海报': 'Old posters retired: please print a new one',
}
