"""Site search: Vietnamese, accent-insensitive, over articles and information pages."""
