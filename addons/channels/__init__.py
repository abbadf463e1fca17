"""Channel connectors (socket.io with an Origin check, Telegram, Slack, Facebook Messenger).

Named in credentials.yml by module path. How a reply looks on each platform is plain
Python in ``bot/rendering.py``; here are only the Rasa and platform calls.
"""
