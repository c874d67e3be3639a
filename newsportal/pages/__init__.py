"""Information pages: the complaints-and-denunciations section, comment rules, privacy, contact."""
