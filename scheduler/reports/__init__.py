"""Weekly scope reports: per client and for the whole practice, as files and email."""
