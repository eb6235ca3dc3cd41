"""Small reusable UI pieces: the page frame, QR cards, tables."""
