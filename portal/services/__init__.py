"""Queries and changes. Views call these; they take the authority and acting user explicitly."""
