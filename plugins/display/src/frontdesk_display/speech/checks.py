"""Cross-checks of ``display.speech`` against the rest of the configuration.

Registered through ``frontdesk_config_checks``, so ``frontdesk validate``
reports a screen that does not exist or a language the site does not speak at
its ``file:line:column``.
"""

from __future__ import annotations

from frontdesk_core.api import Config, Reporter, unknown
from frontdesk_display.settings import SECTION, DisplaySettings, ScreenSpeech


def check_speech(config: Config, reporter: Reporter) -> None:
    """Report unknown info screens and languages the site does not use."""
    settings = config.sections.get(SECTION)
    if not isinstance(settings, DisplaySettings):
        return
    speech = settings.speech
    screens = sorted({s.id for centre in config.centres for s in centre.info_screens})
    languages = list(config.site.languages)
    for screen_id, screen in speech.screen.items():
        loc = (SECTION, "speech", "screen", screen_id)
        if screen_id not in screens:
            reporter.error(loc, unknown("info screen", screen_id, screens), at_key=True)
        _check_languages(screen, loc, languages, reporter)
    _check_languages(speech.screens, (SECTION, "speech", "screens"), languages, reporter)


def _check_languages(
    screen: ScreenSpeech, loc: tuple[str, ...], languages: list[str], reporter: Reporter
) -> None:
    for index, language in enumerate(screen.languages or []):
        if language not in languages:
            reporter.error(
                (*loc, "languages", index), unknown("site language", language, languages)
            )
