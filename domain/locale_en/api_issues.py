"""The issue push API's refusals (the API itself always answers in Chinese; these serve the documentation)."""
EN = {
    '缺少{what}（{field}）': 'Missing {what} ({field})',
    '{what}太长了（最多 {max} 个字）': '{what} is too long (at most {max} characters)',
    '{what}不能为空': '{what} must not be empty',
    '{what}（{field}）的格式不对': '{what} ({field}) has the wrong format',
    '请求内容太大（最多 {kb} KB）': 'The request is too large (at most {kb} KB)',
    '请求内容应为 JSON 对象（含 reference、title、category 等字段）':
        'The request must be a JSON object (with reference, title, category …)',
    '对接编号': 'reference',
    '小区编号': 'compound id',
    '楼栋编号': 'building id',
}
