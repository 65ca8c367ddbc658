"""A signal's way: intake and filing, the desk's pick-up, hand-over, questions, escalation and the digest."""
