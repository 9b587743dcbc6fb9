"""The ward theme's colours: calm, dark-on-light is too bright at night on a ward, so soft light-on-navy."""

from __future__ import annotations

from textual.theme import Theme

WARD_THEME = Theme(
    name="aistories-ward",
    primary="#7FB7BE",  # sea glass: buttons, focus
    secondary="#B8A1D9",  # lavender: the storyteller
    accent="#F2C57C",  # warm sand: the child's own words
    warning="#F2C57C",
    error="#E07A5F",  # terracotta: alerts stand out without alarming a child
    success="#8CC084",
    foreground="#F4F1E8",
    background="#1D2B3A",
    surface="#26384A",
    panel="#2F4559",
    dark=True,
)
