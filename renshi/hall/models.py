"""The online service hall (电子政务办事大厅): service items and cases. See docs/architecture.md."""
