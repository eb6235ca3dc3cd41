"""Colours and sizes in one place."""
PRIMARY = '#c62828'  # 中国红, softened
SECONDARY = '#5d4037'
ACCENT = '#f9a825'
POSITIVE = '#2e7d32'
NEGATIVE = '#c62828'
WARNING = '#ef6c00'
BACKGROUND = '#faf7f2'

COLORS = dict(primary=PRIMARY, secondary=SECONDARY, accent=ACCENT, positive=POSITIVE,
              negative=NEGATIVE, warning=WARNING)

PAGE_MAX_WIDTH = 'max-w-screen-md'  # phone first; a tablet gets a centred column
BUTTON = 'w-full text-lg py-2'  # big tap targets (≥ 48 px)
