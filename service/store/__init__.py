"""The service database: its engine and sessions, tables, migrations, the queue's counts and the
reads and locks every other room shares."""
