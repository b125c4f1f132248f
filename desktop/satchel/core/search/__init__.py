"""Full-text search (Whoosh behind `SearchIndex`); derived from the database, always rebuildable."""
