"""JSON Canvas (.canvas) boards: read, their links resolved, drawn as a page."""
