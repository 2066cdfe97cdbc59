"""Pure, fast normalizers for Japanese form text: text, numbers, bands, dates, tick marks, options."""
