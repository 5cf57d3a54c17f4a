"""The benchmark's saves post the edit form back as a browser would."""

from urllib.parse import urlencode

import pytest

from heatwiki.bench.saves import EditForm
from scenes.models import Location, Scene

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("model", "slug"), [(Location, "lax"), (Scene, "coffee-shop-stand-off")])
def test_the_edit_form_as_read_saves_a_new_revision(client, editor, model, slug):
    client.force_login(editor)
    page = model.objects.get(slug=slug)
    before = page.current_revision.number
    form = EditForm()
    form.feed(client.get(f"{page.get_absolute_url()}edit/").content.decode())
    fields = dict(form.fields)
    assert fields["base_revision"] == str(before)
    assert fields["title"] == page.title
    data = [(k, v + "\n\nOne more line." if k == "body" else v) for k, v in form.fields]
    response = client.post(
        f"{page.get_absolute_url()}edit/",
        urlencode(data),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.current_revision.number == before + 1
    assert page.body.endswith("One more line.")
    # Nothing else changed: the relations came back as they were.
    assert page.current_revision.snapshot == {
        **page.revisions.get(number=before).snapshot,
        "body": page.body,
    }
