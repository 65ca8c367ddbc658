"""The host: the inbox gate, the outbox sender, due work, batching, locks, the front door, the run loop."""
