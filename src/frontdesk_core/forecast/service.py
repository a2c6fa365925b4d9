"""A Frontdesk's forecaster: the latest forecast, refreshed in the background, never on a
request.

    forecasts = forecaster(fd)                   # one per Frontdesk
    snapshot = forecasts.snapshot()              # on the thread that runs the commands
    forecast = forecasts.compute(snapshot)       # on any other thread: the slow part
    forecasts.latest().ticket(ticket_id).text("da")   # "ca. 12–18 min"
    forecasts.advise(snapshot).sentences(fd.config, "da")   # staffing advice

:meth:`Forecaster.refresh_if_due` does both when ``site.forecast.every`` has
passed since the last refresh (a server's loop calls it; the display plugin
runs the slow part on a thread of its own). Readers only ever look at the
latest forecast, which costs nothing.

With ``method: simulation`` the model of the rest of the day (arrivals per
errand, weekday and hour, booked shares, service times) is calibrated from the
store's own log over ``site.forecast.history``
(:func:`~frontdesk_core.simulation.calibration.calibrate`), once a day; a log
with nothing to calibrate from falls back to the queue-length estimate.
"""

from __future__ import annotations

import os
import threading
from datetime import date, datetime
from typing import TYPE_CHECKING

from frontdesk_core.config.loader import Document, Reporter
from frontdesk_core.forecast.advice import Advice, advise
from frontdesk_core.forecast.forecast import queue_length_forecast, simulate_forecast
from frontdesk_core.forecast.patience import fitted_patience
from frontdesk_core.forecast.records import FORECAST_STATE, SIMULATION, Forecast, TicketForecast
from frontdesk_core.forecast.snapshot import LiveSnapshot, take_snapshot
from frontdesk_core.plugins import LOAD_ENV, Hooks, make_plugin_manager
from frontdesk_core.simulation.calibration import calibrate
from frontdesk_core.simulation.scenario import LoadedScenario, Scenario, link_scenario

if TYPE_CHECKING:
    from frontdesk_core.app import Frontdesk


def calibrated_model(fd: Frontdesk, now: datetime) -> LoadedScenario | None:
    """The rest-of-day model calibrated from the log before ``now``, with the citizens'
    patience fitted to its no-shows (``None``: nothing to calibrate from, or a calibration
    that does not fit the configuration)."""
    history = fd.config.site.forecast.history
    try:
        data = calibrate(fd.store, fd.config, config_path="<live>", since=now - history, until=now)
    except ValueError:
        return None
    patience = fitted_patience(fd.store, since=now - history, until=now)
    if patience is not None:
        # The no-shows say citizens give up: the forward runs let them (exponential fit).
        data["patience"] = {"distribution": "exponential", "mean": f"{patience * 60:.0f} s"}
    reporter = Reporter(Document(root_file="<calibration>"))
    return link_scenario(Scenario.model_validate(data), fd.config, reporter, "<calibration>")


def forecaster(fd: Frontdesk) -> Forecaster:
    """The forecaster of ``fd`` (made on first use, kept in its plugin state so the kiosk
    finds the latest forecast without importing the simulation)."""
    state = fd.plugin_state(FORECAST_STATE)
    found = state.get("forecaster")
    if not isinstance(found, Forecaster):
        found = state["forecaster"] = Forecaster(fd)
    return found


class Forecaster:
    """The forecasts of one :class:`~frontdesk_core.app.Frontdesk` (see :func:`forecaster`).

    ``model`` replaces the calibrated model (tests, the accuracy benchmark, a
    planner's scenario); ``method`` the configured method.
    """

    def __init__(
        self,
        fd: Frontdesk,
        *,
        model: LoadedScenario | None = None,
        method: str | None = None,
    ) -> None:
        self.fd = fd
        self.settings = fd.config.site.forecast
        self.method = method or self.settings.method
        self._given = model
        self._model: tuple[date, LoadedScenario | None] | None = None
        self._latest: Forecast | None = None
        self._advice: Advice | None = None
        self._refreshed: datetime | None = None
        self._lock = threading.Lock()
        chosen = bool(os.environ.get(LOAD_ENV, "").strip())
        # Forward runs print nothing and send nothing: only a plugin named for a call-next
        # policy is loaded, as for the planner's simulations.
        self._hooks = Hooks(make_plugin_manager(load_entrypoints=chosen))

    def use(self, model: LoadedScenario | None, method: str | None = None) -> None:
        """Forecast with ``model`` (a planner's scenario; ``None``: calibrate from the log
        again) and, if given, ``method`` instead of the configured one."""
        self._given = model
        self._model = None
        if method is not None:
            self.method = method

    def latest(self) -> Forecast | None:
        """The latest forecast (``None`` before the first refresh)."""
        return self._latest

    def ticket(self, ticket_id: str) -> TicketForecast | None:
        """The latest forecast of a waiting ticket."""
        latest = self._latest
        return latest.ticket(ticket_id) if latest is not None else None

    def queue(self, queue_id: str) -> TicketForecast | None:
        """The latest forecast for a ticket taken now in ``queue_id``."""
        latest = self._latest
        return latest.queue(queue_id) if latest is not None else None

    def model(self, now: datetime) -> LoadedScenario | None:
        """The model of the rest of the day: given, or calibrated once a day."""
        if self._given is not None:
            return self._given
        today = now.astimezone(self.fd.tz).date()
        if self._model is None or self._model[0] != today:
            self._model = (today, calibrated_model(self.fd, now))
        return self._model[1]

    def snapshot(self) -> LiveSnapshot:
        """A copy of the live state (on the thread that runs the commands: it reads the
        engines)."""
        return take_snapshot(self.fd)

    def compute(self, snapshot: LiveSnapshot) -> Forecast:
        """The forecast from ``snapshot`` (any thread); it becomes the latest."""
        model = self.model(snapshot.now) if self.method == SIMULATION else None
        if model is None:
            forecast = queue_length_forecast(self.fd, snapshot)
        else:
            forecast = simulate_forecast(
                snapshot,
                model,
                hooks=self._hooks,
                replications=self.settings.replications,
                seed=f"forecast/{snapshot.now.isoformat()}",
            )
        with self._lock:
            if self._latest is None or self._latest.made_at <= forecast.made_at:
                self._latest = forecast
        return forecast

    def advice(self) -> Advice | None:
        """The latest staffing advice (``None``: none made yet, or not the simulation)."""
        return self._advice

    def advise(self, snapshot: LiveSnapshot) -> Advice | None:
        """Staffing advice from ``snapshot`` (any thread; slow: many whole-day runs); it
        becomes the latest. ``None`` unless the method is the simulation with a model."""
        model = self.model(snapshot.now) if self.method == SIMULATION else None
        if model is None:
            return None
        made = advise(
            snapshot,
            model,
            hooks=self._hooks,
            replications=max(2, self.settings.replications // 2),
            seed=f"advice/{snapshot.now.isoformat()}",
        )
        with self._lock:
            if self._advice is None or self._advice.made_at <= made.made_at:
                self._advice = made
        return made

    def due(self) -> bool:
        """Whether ``site.forecast.every`` has passed since the last refresh began."""
        last = self._refreshed
        return last is None or self.fd.clock.now() - last >= self.settings.every

    def refresh(self) -> Forecast:
        """Snapshot and compute now, on this thread."""
        self._refreshed = self.fd.clock.now()
        return self.compute(self.snapshot())

    def refresh_if_due(self) -> Forecast | None:
        """:meth:`refresh` if it is due (``None`` if it was not)."""
        return self.refresh() if self.due() else None


__all__ = ["Forecaster", "calibrated_model", "forecaster"]
