"""Account pages through the test client: log in and out, password reset and
change, API tokens, the shared layout and the error pages."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from bridgework import factories
from bridgework.accounts.models import ApiToken
from bridgework.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def test_login_page_renders_for_anonymous_with_real_labels(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'name="viewport"' in html and 'name="csrf-token"' in html
    assert 'href="#main"' in html  # skip link


def test_log_in_through_the_page_lands_on_my_network(client, member):
    response = client.post(
        reverse("accounts:login"),
        {"username": "mia", "password": factories.PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("people:home")
    assert response.status_code == 200
    assert member.person.full_name in response.content.decode()


def test_wrong_password_shows_an_error_and_stays_logged_out(client, member):
    response = client.post(reverse("accounts:login"), {"username": "mia", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert client.get(reverse("people:home")).status_code == 302


def test_log_out_is_a_post_and_ends_the_session(member_client):
    assert member_client.get(reverse("accounts:logout")).status_code == 405
    response = member_client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    after = member_client.get(reverse("people:home"))
    assert after.status_code == 302 and after.url.startswith(reverse("accounts:login"))


def test_password_reset_sends_a_working_link(client, member):
    member.email = "mia@example.org"
    member.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "mia@example.org"})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": "a-brand-new-secret-42", "new_password2": "a-brand-new-secret-42"},
    )
    assert done.status_code == 302 and done.url == reverse("accounts:password_reset_complete")
    assert client.login(username="mia", password="a-brand-new-secret-42")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_password_change_page(member_client, client):
    assert member_client.get(reverse("accounts:password_change")).status_code == 200
    response = member_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "another-good-secret-7",
            "new_password2": "another-good-secret-7",
        },
    )
    assert response.url == reverse("accounts:password_change_done")
    client.logout()
    assert client.get(reverse("accounts:password_change")).status_code == 302


def test_api_tokens_page_needs_login(client):
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_create_a_token_shows_the_raw_value_once(member_client, member):
    response = member_client.post(reverse("accounts:tokens"), {"name": "notebook"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=member)
    raw = re.search(r'value="(bw_[^"]+)"', response.content.decode()).group(1)
    assert ApiToken.digest_of(raw) == token.digest
    listing = member_client.get(reverse("accounts:tokens")).content.decode()
    assert "notebook" in listing and raw not in listing


def test_token_name_is_required(member_client, member):
    response = member_client.post(reverse("accounts:tokens"), {"name": ""})
    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()
    assert not ApiToken.objects.filter(user=member).exists()


def test_revoke_my_token_but_not_someone_elses(member_client, member, other_member):
    mine, _ = api_token_create(user=member, name="mine")
    theirs, _ = api_token_create(user=other_member, name="theirs")
    assert member_client.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    response = member_client.post(reverse("accounts:token_revoke", args=[mine.pk]))
    assert response.status_code == 302
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["theirs"]


def test_layout_shows_navigation_roles_and_current_page(member_client):
    html = member_client.get(reverse("people:directory")).content.decode()
    assert f'href="{reverse("people:directory")}" aria-current="page"' in html
    assert '<span class="role">Member</span>' in html
    assert f'action="{reverse("accounts:logout")}"' in html
    assert reverse("admin:index") not in html
    assert "/static/bridgework/dist/style.css" in html and "/static/bridgework/dist/app.js" in html
    assert "cdn" not in html.lower()


def test_admins_get_an_admin_link(client, admin_user):
    client.force_login(admin_user)
    assert reverse("admin:index") in client.get(reverse("people:home")).content.decode()


def test_not_found_page_uses_the_layout(member_client):
    response = member_client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Not found" in html and "/static/bridgework/dist/style.css" in html
    assert reverse("people:directory") in html


def test_error_templates_render_without_a_request():
    from django.template import loader

    # Django renders 500.html with an empty context: it must not need one.
    assert "Something went wrong" in loader.get_template("500.html").render()
    assert "expired" in loader.get_template("403_csrf.html").render({})


def test_permission_denied_uses_the_403_page(rf, member):
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = member
    response = permission_denied(request, exception=None)
    assert response.status_code == 403 and "Not allowed" in response.content.decode()
