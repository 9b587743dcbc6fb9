"""AlertBanner: hidden with no alerts, counts and (in carer mode) categories, reactive updates."""

from __future__ import annotations

from textual.app import App, ComposeResult

from aistories.app.widgets.alert_banner import AlertBanner

ROWS = ({"id": "a1", "category": "abuse"}, {"id": "a2", "category": "medical_emergency,abuse"})


class BannerApp(App[None]):
    """A tiny app holding one banner."""

    def __init__(self, show_categories: bool) -> None:
        super().__init__()
        self.show_categories = show_categories
        self.clicked = 0

    def compose(self) -> ComposeResult:
        yield AlertBanner(show_categories=self.show_categories)

    def on_alert_banner_clicked(self, message: AlertBanner.Clicked) -> None:
        self.clicked += 1


async def test_banner_hidden_then_shows_count_then_hides_again() -> None:
    app = BannerApp(show_categories=False)
    async with app.run_test(size=(100, 10)) as pilot:
        banner = app.query_one(AlertBanner)
        assert (banner.display, banner.has_class("-open")) == (False, False)
        banner.alerts = ROWS
        await pilot.pause()
        assert (banner.has_class("-open"), banner.display, banner.banner_text()) == (
            True,
            True,
            "⚠ 2 safeguarding alerts waiting for a member of staff. "
            "Acknowledge with `aistories alerts ack ID --by NAME`.",
        )
        banner.alerts = ()
        await pilot.pause()
        assert (banner.has_class("-open"), banner.banner_text()) == (False, "")


async def test_carer_mode_lists_categories_and_reports_clicks() -> None:
    app = BannerApp(show_categories=True)
    async with app.run_test(size=(120, 10)) as pilot:
        banner = app.query_one(AlertBanner)
        banner.alerts = ROWS[:1]
        await pilot.pause()
        assert banner.banner_text() == (
            "⚠ 1 safeguarding alert waiting for a member of staff: abuse. "
            "Acknowledge with `aistories alerts ack ID --by NAME`."
        )
        await pilot.click(AlertBanner)
        await pilot.pause()
        assert app.clicked == 1
