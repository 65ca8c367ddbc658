"""The waakvlam agreement: set-up, check-ins and their answers, stewardship and re-entry on relapse."""
