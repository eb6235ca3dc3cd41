"""The vote on the projector (/votes/{id}/screen)."""
EN = {
    '表决大屏': 'Vote on the big screen', '户': 'households', '人': 'people',
    '还剩': 'Time left', '距开始': 'Starts in', '天': 'd', '时间到，正在结束': 'Time is up, closing',
    '投票二维码': 'QR code to vote', '用手机扫码投票': 'Scan with your phone to vote',
    '各选项票数在表决结束后公布': 'The votes for each option are shown after the vote closes',
    '规则：{rule}': 'Rule: {rule}',
    '赞成票需占参与表决的{need}': 'Yes votes needed: {need} of those voting',
    '得票需占参与表决的{need}': 'Votes needed: {need} of those voting',
    '已投 {voted}/{total} {unit}': 'Voted: {voted}/{total} {unit}', '，需{need}': ', {need} needed',
    '已投面积 {voted}/{total} 平方米': 'Area voted: {voted}/{total} m²',
    '{mark}{count} 票 {share}': '{mark}{count} votes {share}',
    '面积 {area} 平方米 {share}': 'Area {area} m² {share}',
}
