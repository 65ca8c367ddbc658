"""The Waakvlam application: settings, domain services, outbox, scheduler wiring, CLI."""
