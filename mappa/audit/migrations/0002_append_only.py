"""Make audit events append-only in the database itself (issue 3, "Audit trail").

PostgreSQL: a trigger refuses every DELETE, and every UPDATE except the retention
erasure (``changes`` set to NULL and ``erased_at`` set from NULL, every other column
unchanged). TRUNCATE is left to privileges: Django's test flush uses it, and in
production the application's role should neither hold TRUNCATE on this table nor own
it, since an owner can disable triggers.

SQLite (development and tests): the same UPDATE rule. DELETE is refused for any row
but the oldest remaining one: Django empties tables between transactional tests with
a plain DELETE, which SQLite applies oldest row first, so that still works, while
removing a row from the middle or the end of the chain -- the edits that would hide
something -- is refused. Removing rows from the start is caught by verify_audit.
"""

from django.db import migrations

TABLE = "audit_auditevent"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit events are append-only: row % cannot be deleted', OLD.sequence
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.changes IS NOT NULL AND NEW.changes IS NULL
       AND OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL
       AND (to_jsonb(NEW) - 'changes' - 'erased_at') = (to_jsonb(OLD) - 'changes' - 'erased_at')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: row % cannot be changed, only its values erased', OLD.sequence
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON {TABLE};
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
"""

POSTGRES_BACKWARD = f"""
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON {TABLE};
DROP FUNCTION IF EXISTS audit_auditevent_append_only();
"""

# Every column but the two the retention erasure may change. A test updates each
# column in turn and expects a refusal, so a column added later without a place
# here fails that test.
UNCHANGEABLE = (
    "sequence",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "nominal_id",
    "outcome",
    "values_digest",
    "detail",
    "ip_address",
    "prev_hash",
    "hash",
)

_UNCHANGED = " AND ".join(f'NEW."{column}" IS OLD."{column}"' for column in UNCHANGEABLE)

SQLITE_FORWARD = [
    f"""
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON {TABLE}
WHEN NOT (
    OLD.changes IS NOT NULL AND NEW.changes IS NULL
    AND OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL
    AND {_UNCHANGED}
)
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: only values may be erased under retention');
END
""",
    f"""
CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON {TABLE}
WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE sequence < OLD.sequence)
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: rows cannot be deleted');
END
""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # No parameters: the % in RAISE are PL/pgSQL's, not placeholders.
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
