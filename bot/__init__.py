"""The Waakvlam application, in rooms: domain, signals, waakvlam, accounts, views, frontdesk, runtime, app."""
