"""Items carry roles; the forms' models answer role lookups and are selected by (form type, revision)."""

from __future__ import annotations

import pytest

from extract.forms.model import FORMS, Role, model_for


@pytest.mark.parametrize(("form_type", "file_list", "file_name"), [
    ("全項目評価書", "I.3", "II.1"), ("重点項目評価書", "I.3", "II.1"), ("基礎項目評価書", "I.2", None)])
def test_role_lookups_give_the_forms_own_keys(form_type, file_list, file_name):
    form = FORMS[form_type]
    assert form.by_role(Role.FILE_LIST).key == file_list
    assert (form.by_role(Role.FILE_NAME).key if file_name else form.by_role(Role.FILE_NAME)) == file_name
    assert form.by_role(Role.PUBLISHED).key == "cover.published"
    assert model_for(form_type, "some unknown revision") is form is model_for(form_type)
