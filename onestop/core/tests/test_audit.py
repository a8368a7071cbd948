import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from onestop.core.audit import audit_record, changed_fields
from onestop.core.models import AuditEntry, AuditLogIsAppendOnly
from onestop.core.services import agency_update

pytestmark = pytest.mark.django_db


def test_changed_fields_lists_only_differences():
    assert changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {
        "b": [2, 3],
        "c": [None, 4],
    }


def test_service_write_records_who_what_and_changes(cast):
    agency_update(actor=cast.city_admin, agency=cast.agency_a, name_en="Agency Alpha")
    entry = AuditEntry.objects.get(action="agency.update")
    assert entry.actor == cast.city_admin
    assert entry.object_type == "core.agency"
    assert entry.object_id == str(cast.agency_a.pk)
    assert entry.changes == {"name_en": ["Agency A", "Agency Alpha"]}


def test_update_without_change_writes_no_audit_row(cast):
    agency_update(actor=cast.city_admin, agency=cast.agency_a, name_en="Agency A")
    assert not AuditEntry.objects.filter(action="agency.update").exists()


def test_orm_cannot_change_or_delete_an_entry(cast):
    entry = audit_record(actor=cast.owner, action="test.thing", obj=cast.agency_a)
    entry.action = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()


def test_database_refuses_update_and_delete_even_from_raw_sql(cast):
    entry = audit_record(actor=cast.owner, action="test.thing", obj=cast.agency_a)
    for statement in (
        "UPDATE core_auditentry SET action = 'tampered' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing"


def test_account_changes_are_for_city_admins_and_audited(cast):
    from django.core.exceptions import PermissionDenied

    from onestop.core.services import user_update_account

    with pytest.raises(PermissionDenied):
        user_update_account(actor=cast.officer_a, user=cast.owner, is_active=False)
    user_update_account(actor=cast.city_admin, user=cast.owner, is_active=False, country="")
    cast.owner.refresh_from_db()
    assert cast.owner.is_active is False
    entry = AuditEntry.objects.get(action="user.admin_update")
    assert entry.changes == {"is_active": [True, False]}  # the unchanged country is not listed
