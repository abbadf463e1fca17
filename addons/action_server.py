"""The action server's entry point (scripts/server.sh actions): rasa_sdk's own, minus TensorFlow.

TensorFlow is installed for Rasa, and spaCy's thinc imports it whenever it can, so an
action server that loads spaCy (bot.nlp) would carry about 475 MB and several seconds of
start-up for a library no action uses. Marking the module as absent before anything
imports spaCy makes thinc's guarded import fail, and thinc runs without it, as it does
where TensorFlow is not installed. The Rasa server is unaffected: it is another process.

Before that, every patch of the action server is checked against the third-party code it
was written for (addons/patches.py): if any differs, the server refuses to start and says
which.
"""

import sys


def without_tensorflow() -> None:
    sys.modules["tensorflow"] = None  # type: ignore[assignment]  # "import tensorflow" raises ImportError


def freeze_after_actions_load() -> None:
    from rasa_sdk.executor import ActionExecutor

    from addons.collector import freeze_after

    freeze_after(ActionExecutor, "register_package")  # the actions, bot/ and its content


def main() -> None:
    from addons import patches

    try:
        patches.check("actions")
    except patches.PatchRefused as refused:
        sys.exit(str(refused))
    patches.install("sys.modules['tensorflow']")
    from rasa_sdk.__main__ import main as rasa_sdk_main

    patches.install("rasa_sdk.executor.ActionExecutor.register_package")
    patches.install("rasa_sdk.executor.ActionExecutor.run")  # counted (addons/metrics.py)
    from addons import handoff, metrics
    from bot.handoff.outbox import HandoffConfigError

    metrics.serve("ACTION_METRICS_PORT")  # 127.0.0.1 only
    handoff.register()  # the hand-off's Questionnaire route and outbox worker (rasa_sdk's plug-in hook)
    try:
        rasa_sdk_main()
    except HandoffConfigError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
