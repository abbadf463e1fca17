"""End-to-end tests: real servers or real Sanic apps with the real model and action server."""

from pathlib import Path

# The channel tests run with the project's own credentials.yml (docs/channels.md): no
# secret and no ${VAR}; the connectors read their environment variables and stay
# disabled without them.
CREDENTIALS_YML = (Path(__file__).resolve().parents[2] / "credentials.yml").read_text()

CHANNEL_ENV = (
    "TELEGRAM_ACCESS_TOKEN",
    "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_WEBHOOK_SECRET",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CHANNEL",
    "FACEBOOK_PAGE_ACCESS_TOKEN",
    "FACEBOOK_APP_SECRET",
    "FACEBOOK_VERIFY_TOKEN",
)
