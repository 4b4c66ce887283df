"""Partnership assurance beyond the yearly report: plain Python, no Django."""
