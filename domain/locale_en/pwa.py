"""Installable app: manifest, offline page (assets/offline.html is Chinese; these are its English words)."""
EN = {
    '社区议事协商：民事民提、民事民议、民事民决、民事民办、民事民评':
        'Community deliberation: residents raise, deliberate, decide, do and judge together',
    '网络已断开': 'You are offline',
    '请检查手机的无线网络或移动数据，连上以后点“重试”。':
        'Check the phone\'s Wi-Fi or mobile data, then tap "Try again".',
    '重试': 'Try again',
}
