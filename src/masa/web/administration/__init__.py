"""The business unit's setup screens: the partnership spec and users, edited in the web."""
