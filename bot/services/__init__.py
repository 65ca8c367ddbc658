"""Domain services: what Waakvlam does, free of Telegram and of SQL."""
