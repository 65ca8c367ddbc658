"""What a person sees: translations, summaries, cards and keyboards, and the messenger that queues them."""
