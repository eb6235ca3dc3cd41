"""Photos of issues, wishes and progress (domain.photos, services.photos)."""
EN = {
    '照片文件是空的，请重新选择': 'The photo file is empty; please choose it again',
    '照片太大了，每张不能超过 {mb} MB': 'The photo is too large: each one can be at most {mb} MB',
    '这是 HEIC 格式的照片，暂时用不了。请在相机设置里把格式改成“兼容性最佳”后重拍，或换一张照片':
        'This photo is in HEIC format, which cannot be used yet. In the camera settings, set the format to '
        '"Most Compatible" and take the photo again, or choose another photo',
    '这不是照片文件，请选择 JPG 或 PNG 照片': 'This is not a photo; please choose a JPG or PNG photo',
    '照片像素太多（超过 {megapixels} 百万像素），请换一张普通照片':
        'The photo has too many pixels (more than {megapixels} megapixels); please choose an ordinary photo',
    '最多 {n} 张照片': 'At most {n} photos',
    '照片文件已损坏或不完整，请重新选择': 'The photo file is damaged or incomplete; please choose it again',
    '找不到这张照片': 'Photo not found',
}
