"""The storybook as a PDF with fpdf2 (pure Python, no fonts or programs needed beyond it)."""

from __future__ import annotations

from .storybook import Storybook

# fpdf2's built-in fonts cover Latin-1: typographic marks are mapped, anything else (emoji) is dropped.
_MARKS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "…": "...", "█": "#"})


def _latin1(text: str) -> str:
    return text.translate(_MARKS).encode("latin-1", "ignore").decode("latin-1")


def render_pdf(book: Storybook) -> bytes:
    """The book as PDF bytes: a title page, the story, then the cast."""
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))  # A5 in mm
    pdf.set_title(_latin1(book.title))
    pdf.set_author(_latin1(book.author))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Times", "B", 26)
    pdf.ln(40)
    pdf.multi_cell(0, 12, _latin1(book.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Times", "I", 16)
    pdf.ln(6)
    pdf.multi_cell(0, 9, _latin1(f"A story by {book.author}"), align="C", new_x="LMARGIN", new_y="NEXT")
    if book.date:
        pdf.set_font("Times", "", 11)
        pdf.multi_cell(0, 8, book.date, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    for page in book.pages:
        if page.child:
            pdf.set_font("Times", "I", 12)
            said = f'"{page.child}," said {book.author}.'
            pdf.multi_cell(0, 6, _latin1(said), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Times", "", 12)
        pdf.multi_cell(0, 6, _latin1(page.reply), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    if book.cast:
        pdf.ln(6)
        pdf.set_font("Times", "B", 14)
        pdf.multi_cell(0, 8, "Who is in this story", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Times", "", 12)
        for c in book.cast:
            line = f"{c.name}, invented by {c.invented_by}"
            pdf.multi_cell(0, 6, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
