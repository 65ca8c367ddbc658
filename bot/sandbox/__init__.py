"""Sandbox mode: a local Bot API emulator, seeded users and a page to chat as each of them."""
