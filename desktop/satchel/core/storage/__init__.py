"""SQLAlchemy rows, the database connection, migrations and repositories."""
