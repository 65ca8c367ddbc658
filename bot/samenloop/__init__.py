"""Samenloop and the routeeroverleg: the same resident known to several organisations, found by a keyed
pseudonym of a match key (never the key), and the desks deciding together who takes a signal."""
