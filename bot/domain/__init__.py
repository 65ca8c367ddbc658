"""The rules, pure: states and their moves, routing and the region, who may do what, time, rhythm, buttons."""
