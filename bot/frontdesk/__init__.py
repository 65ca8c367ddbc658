"""One update's way in: a command to the service it names; conversations and the flows they run."""
