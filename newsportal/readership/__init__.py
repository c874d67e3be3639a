"""Most read: views counted by a beacon, buffered, written at most once a minute, no reader kept."""
