"""Queries and changes. Views call these; functions take the authority and acting user explicitly."""
