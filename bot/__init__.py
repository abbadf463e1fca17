"""Back and leg pain assistant: domain logic in plain Python (no Rasa imports outside thin adapters)."""
