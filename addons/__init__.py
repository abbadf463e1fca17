"""The Rasa plug-ins: the NLU graph component and the channel connectors.

Everything here is a thin adapter between Rasa and the plain-Python domain logic in
``bot/`` (which never imports Rasa, rasa_sdk or Sanic; tests/unit/test_layers.py checks).
"""
