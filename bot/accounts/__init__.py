"""People and their data: registration by invite, persons, the audit trail, retention, erasure, keys."""
