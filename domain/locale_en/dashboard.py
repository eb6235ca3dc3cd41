"""The 五民 dashboard and the 吹哨报到 assessment export."""
EN = {
    '五民工作看板': 'Five-step dashboard',
    '日期格式不对，请用 年-月-日': 'Wrong date format: use year-month-day',
    '全部小区': 'All compounds',
    '从（提出月份）': 'From (month raised)',
    '到（提出月份）': 'To (month raised)',
    '下载吹哨报到考核表': 'Download the responsiveness assessment',
    '五民漏斗（到达各环节的数量）': 'Five-step funnel (how many reached each step)',
    '各环节平均用时（天）': 'Average days in each step',
    '按提出月份': 'By month raised',
    '按小区': 'By compound',
    '“跳过”的环节：微心愿不经过议、决；用时从进入本环节算到进入下一环节，只计已往下走的事项。':
        '"Skipped" steps: micro-wishes are not deliberated or decided; time in a step runs from entering it to '
        'entering the next, counting only items that went on.',
    '共 {n} 件{kind}': '{n} × {kind}',
    '（跳过 {n}）': ' ({n} skipped)',
    '合计': 'Total',
    '未分小区': 'No compound',
    '结束月份不能早于开始月份': 'The last month cannot be before the first',
    '结束日期不能早于开始日期': 'The end date cannot be before the start date',
}
