"""Chat answers from flood data (filled below)."""
