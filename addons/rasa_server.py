"""Prepared by the Rasa server's launcher (addons/launch.py) before Rasa starts: two repairs
to per-message costs that the profile in docs/performance.md found inside Rasa 3.6 (and one
to its start-up, in ``prepare``). None changes what Rasa decides or says;
tests/unit/test_rasa_server.py checks the repairs.

- Every custom-action response is checked with ``jsonschema.validate``, which first checks
  Rasa's own constant schema against the JSON-Schema meta-schema: about nine tenths of the
  check, on every action call. Here the schema is checked once and a prepared validator
  accepts valid responses; an invalid one still goes through Rasa's own code and error.
- Every event read back (from the tracker store or an action's response) finds its class by
  walking all Event subclasses, for each event. Here the answer is kept per type name.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, Optional, Text, Type


def _response_validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def install() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    validator = _response_validator()
    rasa_validate = RemoteAction._validate_action_result

    @functools.wraps(rasa_validate)
    def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        return validator.is_valid(result) or rasa_validate(self, result)

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]

    rasa_resolve = Event.resolve_by_type
    classes: Dict[Text, Type[Event]] = {}

    def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        found = classes.get(type_name)
        if found is None:
            found = rasa_resolve(type_name, default)
            if found is not None and found.type_name == type_name:  # a match, not the default
                classes[type_name] = found
        return found

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign, assignment]


def prepare() -> None:
    """Called by addons/launch.py before Rasa starts."""
    # Start-up: loading the logistic-regression intent classifier imports skops.io, whose
    # import searches every loaded module for ~770 numpy/scipy/sklearn names. Imported
    # here, before Rasa brings in TensorFlow's thousands of modules, it takes a fraction
    # of the time (docs/performance.md).
    import skops.io  # noqa: F401

    install()
