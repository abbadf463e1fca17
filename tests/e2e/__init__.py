"""End-to-end tests: real servers or real Sanic apps with the real model and action server."""

# The credentials.yml the channel tests run with (docs/channels.md): no secret and no
# ${VAR}; the connectors read their environment variables and stay disabled without them.
CREDENTIALS_YML = """\
# Channels. Secrets come from the environment, never from this file (docs/channels.md).
# No ${VAR} here: Rasa refuses to start when one is unset. Each connector below reads its
# own environment variables and stays disabled (webhook answers 503) until they are set.
rest:

socketio:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: true

# TELEGRAM_ACCESS_TOKEN, TELEGRAM_WEBHOOK_URL [, TELEGRAM_WEBHOOK_SECRET]
bot.channels.connectors.TelegramChannel:

# SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET [, SLACK_CHANNEL]
bot.channels.connectors.SlackChannel:
  use_threads: false
  conversation_granularity: sender

# FACEBOOK_PAGE_ACCESS_TOKEN, FACEBOOK_APP_SECRET, FACEBOOK_VERIFY_TOKEN
bot.channels.connectors.FacebookChannel:
  graph_api_version: "21.0"
"""

CHANNEL_ENV = (
    "TELEGRAM_ACCESS_TOKEN", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET",
    "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CHANNEL",
    "FACEBOOK_PAGE_ACCESS_TOKEN", "FACEBOOK_APP_SECRET", "FACEBOOK_VERIFY_TOKEN",
)
