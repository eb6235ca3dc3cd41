"""Roster import: the /admin/roster screen, the API and every row message (helper A)."""
EN = {
    # the screen
    '导入居民花名册': 'Import the resident roster',
    '第一步：下载模板，按模板填写': 'Step 1: download the template and fill it in',
    '每行一位居民。表格里的“说明”页写明了每一列怎么填。':
        'One resident per row. The “说明” (instructions) sheet explains every column.',
    'Excel 模板': 'Excel template',
    'CSV 模板': 'CSV template',
    '第二步：上传填好的表格': 'Step 2: upload the filled-in sheet',
    '导入到：{community}': 'Import into: {community}',
    '支持 .xlsx 和 .csv 文件，不超过 5 MB。上传后先检查，不会马上导入。':
        '.xlsx and .csv files up to 5 MB. The file is checked first; nothing is imported yet.',
    '选择文件': 'Choose a file',
    '检查结果': 'Check result',
    '行数据': 'rows',
    '行正确': 'good rows',
    '行有错误': 'rows with errors',
    '导入后：新增 {h} 户、更新 {hu} 户；新增 {r} 位居民、更新 {ru} 位；{u} 户未变':
        'After import: {h} new households, {hu} updated; {r} new residents, {ru} updated; {u} households unchanged',
    '只导入正确的行时：新增 {h} 户、更新 {hu} 户；新增 {r} 位居民、更新 {ru} 位；{u} 户未变':
        'Importing only the good rows: {h} new households, {hu} updated; {r} new residents, {ru} updated; '
        '{u} households unchanged',
    '请在表格里改正下面的错误，再重新上传：': 'Correct these errors in the sheet, then upload it again:',
    '第 {row} 行': 'Row {row}',
    '还有 {n} 处错误没有列出': '{n} more errors are not listed',
    '正在导入，请稍候…': 'Importing, please wait…',
    '导入全部': 'Import all',
    '还有 {bad} 行有错误，不能全部导入': '{bad} rows have errors, so not all rows can be imported',
    '仅导入正确的 {n} 行': 'Import only the {n} good rows',
    '只导入正确的 {n} 行？有错误的 {bad} 行不会导入，改正后可以再导入一次。':
        'Import only the {n} good rows? The {bad} rows with errors are left out; correct them and import again.',
    '仅导入正确的行': 'Import the good rows only',
    '导入完成': 'Import finished',
    '住户': 'Households',
    '居民': 'Residents',
    '产权登记': 'Registered owners',
    '{what}：新增 {c}，更新 {u}，未变 {n}': '{what}: {c} new, {u} updated, {n} unchanged',
    '新建小区 {c} 个、楼栋 {b} 栋': '{c} new compounds, {b} new buildings',
    '有错误没有导入的行：{n} 行': 'Rows left out because of errors: {n}',
    '没有权限进行此操作': 'You are not allowed to do this',
    # the file
    '文件太大（超过 5 MB）。请删去多余的工作表和图片，或分成几个文件':
        'The file is too large (over 5 MB). Remove extra sheets and pictures, or split it into several files',
    '文件是空的': 'The file is empty',
    '无法读取这个文件。请上传用模板填写的 Excel 表格（.xlsx）或 CSV 文件':
        'This file cannot be read. Upload an Excel sheet (.xlsx) or a CSV file filled in from the template',
    '这是旧版 Excel 文件（.xls）。请在 Excel 里“另存为”.xlsx 格式后再上传':
        'This is an old Excel file (.xls). In Excel, use “Save as” .xlsx and upload that',
    '这是 PDF 文件，不是表格。请上传 Excel 表格（.xlsx）或 CSV 文件':
        'This is a PDF, not a sheet. Upload an Excel sheet (.xlsx) or a CSV file',
    '这个文件不是 Excel 表格。请上传 Excel 表格（.xlsx）或 CSV 文件':
        'This file is not an Excel sheet. Upload an Excel sheet (.xlsx) or a CSV file',
    '文件的文字编码无法识别。请在 Excel 里“另存为”“CSV UTF-8”或 .xlsx 格式':
        'The text encoding of the file is unknown. In Excel, use “Save as” “CSV UTF-8” or .xlsx',
    '一次最多导入 {max} 行，这个文件有更多行。请分成几个文件导入':
        'At most {max} rows can be imported at once and this file has more. Split it into several files',
    '一次最多导入 {max} 行，这个文件有 {count} 行。请分成几个文件导入':
        'At most {max} rows can be imported at once; this file has {count}. Split it into several files',
    '文件里什么也没有': 'There is nothing in the file',
    '表头下面没有数据': 'There are no rows below the header',
    '表格缺少这些列：{columns}。请下载模板，按模板第一行的表头填写':
        'These columns are missing: {columns}. Download the template and use its first row as the header',
    '表头“{a}”和“{b}”是同一列，请只保留一列': 'The headers “{a}” and “{b}” are the same column; keep only one',
    # the rows
    '必须填写': 'Required',
    '应填写“自住”“出租”或“空置”': 'Write 自住 (owner-occupied), 出租 (rented) or 空置 (vacant)',
    '应填写“业主”“家属”或“租户”': 'Write 业主 (owner), 家属 (family) or 租户 (tenant)',
    '应填写“已售”或“未售”': 'Write 已售 (sold) or 未售 (unsold)',
    '应填写“是”或“否”': 'Write 是 (yes) or 否 (no)',
    'Excel 把手机号显示成了科学计数法（如 1.38E+10），号码已不完整。请把这一列设为“文本”后重新输入':
        'Excel turned the phone number into scientific notation (like 1.38E+10) and digits were lost. '
        'Format this column as “Text” and type the numbers again',
    '这是模板里的示例，请删除这一行': 'This is an example row from the template; delete it',
    '同一套房在第 {row} 行写的是“{value}”，两处不一致':
        'Row {row} says “{value}” for the same unit; the two rows disagree',
    '手机号与第 {row} 行重复': 'The same phone number as row {row}',
    '与第 {row} 行重复：同一套房里的同一个人': 'Repeats row {row}: the same person in the same unit',
    '与第 {row} 行姓名、手机号相同，但出生年份不同，请核对':
        'Same name and phone as row {row} but another birth year; please check',
    '此人已在第 {row} 行登记住址；一人名下有多套房的，其他房屋请写“业主”并填写不动产权证号':
        'This person already lives at the unit in row {row}; for further units they own, write 业主 and the '
        'property certificate number',
    '与第 {row} 行是同一人，那一行有错误，这一行也暂不导入':
        'The same person as row {row}, which has an error, so this row is held back too',
    '这个手机号已被本社区另一位居民使用（登记的姓名不同），请核对':
        'This phone number belongs to another resident of this community (a different name); please check',
    # the import
    '有 {bad} 行有错误，没有导入任何数据。请改正后重新上传，或选择只导入正确的行':
        '{bad} rows have errors, so nothing was imported. Correct them and upload again, or import only the good rows',
    '没有正确的行可以导入': 'There are no good rows to import',
    '找不到这个社区': 'This community cannot be found',
    # messages of domain.people used in row errors
    '手机号应为 11 位数字，以 1 开头': 'The phone number must be 11 digits starting with 1',
    '面积应为数字，例如 89.5': 'The floor area must be a number, e.g. 89.5',
    '面积必须大于 0': 'The floor area must be more than 0',
    '出生年份应为四位数字，例如 1956': 'The birth year must be four digits, e.g. 1956',
    '含有不可见的控制字符': 'Contains invisible control characters',
}
