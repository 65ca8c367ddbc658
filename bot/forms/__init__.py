"""Text about a resident on the region's own server: Telegram Mini App forms and reading pages, their signed launch data, their addresses."""
