"""The action server's entry point (scripts/server.sh actions): rasa_sdk's own, minus TensorFlow.

TensorFlow is installed for Rasa, and spaCy's thinc imports it whenever it can, so an
action server that loads spaCy (bot.nlp) would carry about 475 MB and several seconds of
start-up for a library no action uses. Marking the module as absent before anything
imports spaCy makes thinc's guarded import fail, and thinc runs without it, as it does
where TensorFlow is not installed. The Rasa server is unaffected: it is another process.
"""

import sys


def main() -> None:
    sys.modules["tensorflow"] = None  # type: ignore[assignment]  # "import tensorflow" raises ImportError
    from rasa_sdk.__main__ import main as rasa_sdk_main
    from rasa_sdk.executor import ActionExecutor

    from addons.collector import freeze_after

    freeze_after(ActionExecutor, "register_package")  # the actions, bot/ and its content

    rasa_sdk_main()


if __name__ == "__main__":
    main()
