"""The composition root: settings, building the core, the scheduler's wiring and the command line."""
