"""The hand-off in the action server (issue 27; docs/handoff.md), attached through rasa_sdk's
own plug-in hook (``attach_sanic_app_extensions``), registered by addons/action_server.py:

- ``GET /fhir/Questionnaire/back-pain-intake``: the intake Questionnaire, read-only;
- the outbox's worker: every few seconds, each due row of the outbox is tried
  (bot/handoff/outbox.py decides what is due; a row is claimed before it is sent, so several
  replicas or Sanic workers never send the same one);
- a start-up error when ``HANDOFF_FHIR_URL`` is set without ``CLINIC_NAME``.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

import pluggy
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.handoff import fhir
from bot.handoff.delivery import shared_outbox
from bot.handoff.outbox import Config

logger = logging.getLogger(__name__)
hookimpl = pluggy.HookimplMarker("rasa_sdk")
FHIR_JSON = "application/fhir+json"
WORKER_SECONDS = float(os.environ.get("HANDOFF_WORKER_SECONDS") or 5.0)


async def questionnaire(_: Request, questionnaire_id: str) -> HTTPResponse:
    if questionnaire_id != fhir.QUESTIONNAIRE_ID:
        return response.json(
            {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "error", "code": "not-found", "diagnostics": "Unknown Questionnaire"}],
            },
            status=404,
            content_type=FHIR_JSON,
        )
    return response.json(fhir.load_questionnaire(), content_type=FHIR_JSON)


async def run_worker(_app: Sanic) -> None:
    """Tries what is due, for as long as the server runs."""
    outbox = shared_outbox()
    while True:
        try:
            await asyncio.to_thread(outbox.run_due)
        except Exception:  # a database hiccup: logged, tried again next round
            logger.exception("Hand-off worker: a round failed.")
        await asyncio.sleep(WORKER_SECONDS)


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    config = Config.from_env()
    config.check()  # HandoffConfigError stops the server with its reason
    app.add_route(questionnaire, "/fhir/Questionnaire/<questionnaire_id>", methods=["GET"])
    if config.url:

        async def start_worker(running: Sanic, _loop: Any) -> None:
            running.add_task(run_worker(running))
            logger.info("Hand-off to %s: outbox worker started.", config.clinic_name)

        app.register_listener(start_worker, "after_server_start")


def register() -> None:
    from rasa_sdk.plugin import plugin_manager

    import addons.handoff as this

    manager = plugin_manager()
    if not manager.is_registered(this):
        manager.register(this)
