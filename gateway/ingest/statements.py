"""The event writer's SQL as plain DBAPI statements, built once per dialect: one multi-row INSERT for a
batch, one UPDATE per instance and set of changed columns.

On a batch of small events SQLAlchemy's work around each execution (the execution context, parameter
processing, result rows) costs more than the SQL. The writer skips it for these two statements only;
each value still goes through its column type's own conversion for the dialect, so what is stored is
exactly what the ORM stores. SQLite (3.35 and later) and PostgreSQL read the same INSERT and UPDATE;
PostgreSQL also takes a batch of new events and its UPDATEs as one statement (insert_new).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from psycopg.errors import UniqueViolation
from sqlalchemy.engine import Dialect

from ..models import Event, Instance

# An event row's values, in this order (PendingEvent.values gives them).
EVENT_COLUMNS = ("tenant_id", "instance_id", "name", "source", "dedupe_key", "provider_time", "received_at",
                 "payload")
# What insert_new raises when an event of its batch was stored before (the event's unique key).
StoredBefore = UniqueViolation


class Statements:
    def __init__(self, dialect: Dialect):
        quote = dialect.identifier_preparer.quote
        self._quote = quote
        # Positional on both: sqlite3 takes "?", and psycopg "%s" whatever SQLAlchemy's own paramstyle is.
        self._mark = "?" if dialect.paramstyle == "qmark" else "%s"
        event = Event.__table__
        self._insert_head = f"INSERT INTO {quote(event.name)} ({', '.join(map(quote, EVENT_COLUMNS))}) VALUES "
        self._row = f"({', '.join([self._mark] * len(EVENT_COLUMNS))})"
        self._skip_stored = f" ON CONFLICT ({quote('instance_id')}, {quote('dedupe_key')}) DO NOTHING"
        self._returning = f" RETURNING {quote('id')}, {quote('instance_id')}, {quote('dedupe_key')}"
        self._event_conversions = _conversions([event.c[name].type for name in EVENT_COLUMNS], dialect)
        self._instance_conversion = {column.name: column.type.dialect_impl(dialect).bind_processor(dialect)
                                     for column in Instance.__table__.c}
        self.update = lru_cache(maxsize=64)(self._update)
        # PostgreSQL takes data-modifying statements in WITH: a batch of new events and its instance updates
        # go as one statement, atomic on its own in autocommit. One round trip (each waits for the PostgreSQL
        # process and then for the worker's other greenlets) instead of four: BEGIN, INSERT, UPDATE, COMMIT.
        self.one_statement = dialect.name == "postgresql"
        self._skip_locked = dialect.name == "postgresql"

    def insert(self, rows: int) -> str:
        """INSERT of `rows` events that skips those already stored and returns (id, instance_id, dedupe_key)
        of each it inserted."""
        return self._values(rows) + self._skip_stored + self._returning

    def insert_new(self, rows: int, updates: Sequence[tuple[str, ...]]) -> str:
        """INSERT of `rows` events, all new, with update(columns) for each of `updates`, as one statement
        that returns what insert(rows) returns; its parameters are the events' and then each update's.

        If any of the events was stored before, the statement fails as a whole (StoredBefore) and changes
        nothing: a batch never has its events committed apart from their instance updates. PostgreSQL only
        (one_statement).
        """
        updating = "".join(f", updated{number} AS ({self.update(columns)})" for number, columns in enumerate(updates))
        return f"WITH inserted AS ({self._values(rows)}{self._returning}){updating} SELECT * FROM inserted"

    def _values(self, rows: int) -> str:
        return self._insert_head + ", ".join([self._row] * rows)

    def event_values(self, values: Sequence) -> list:
        """One event's values (in EVENT_COLUMNS order) as the driver takes them."""
        return self._event_conversions(values)

    def _update(self, columns: tuple[str, ...]) -> str:
        """UPDATE of one instance's `columns`; its parameters are update_values(...).

        An UPDATE that only moves `last_event_at` skips a row another writer has locked (PostgreSQL):
        with several workers on one busy instance, each commit would otherwise wait for the other's
        (the row lock is held until commit, fsync included), and the one holding it sets a time as
        recent. Facts (state, QR) always wait.
        """
        assignments = ", ".join(f"{self._quote(column)} = {self._mark}" for column in columns)
        table, key = self._quote(Instance.__table__.name), self._quote("id")
        row = self._mark
        if self._skip_locked and columns == ("last_event_at",):
            row = f"(SELECT {key} FROM {table} WHERE {key} = {self._mark} FOR UPDATE SKIP LOCKED)"
        return f"UPDATE {table} SET {assignments} WHERE {key} = {row}"

    def update_values(self, instance_id: int, changes: dict) -> list:
        """The parameters of update(tuple(changes)) for that instance."""
        values = [value if (convert := self._instance_conversion[column]) is None else convert(value)
                  for column, value in changes.items()]
        values.append(instance_id)
        return values


def _conversions(types: list, dialect: Dialect) -> Callable[[Sequence], list]:
    """A function converting a row of values for those column types; a column without a conversion is
    passed as it is (most are, on PostgreSQL)."""
    processors = [(index, processor) for index, column_type in enumerate(types)
                  if (processor := column_type.dialect_impl(dialect).bind_processor(dialect)) is not None]

    def convert(values: Sequence) -> list:
        row = list(values)
        for index, processor in processors:
            row[index] = processor(row[index])
        return row
    return convert
