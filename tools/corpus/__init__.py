"""An independent test corpus of text-layer PDFs with answer keys (tests/fixtures/corpus/).

The content generator (content.py) draws a complete filled-in assessment of one of the three official forms
from ../shared/reference/pia-forms.md; two unrelated renderers print it the way municipalities do:

  xlsx.py           renderer A: an openpyxl workbook exported to PDF by LibreOffice (headless)
  reportlab_pdf.py  renderer B: reportlab canvas drawing with a non-embedded CID font

The answer keys are written from the generator's data (never read back from the PDF); only the page count
is taken from the finished PDF. Usage: python -m tools.corpus --round N --out tests/fixtures/corpus/roundN
"""
