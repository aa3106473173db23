"""Warm introductions: the paths a member sees (and what they may not see), and
the request workflow of the services.

The tie sets are built by hand as stored :class:`~bridgework.network.models.Tie`
rows; the expected paths are worked out in the comments from the documented
rule (score = product of the tie strengths, best first); what a member may see
of them comes from issue 13, item 7: of a tie between two other people, only
that it exists.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import AuditEntry
from bridgework.core.errors import NotFoundError
from bridgework.eventstore import get_event_store
from bridgework.interactions import selectors, services
from bridgework.interactions.models import Channel, Interaction, IntroductionRequest
from bridgework.network.models import Band, Tie
from bridgework.network.selectors import tie_graph_cache_clear
from bridgework.people.models import EngagementType, Organization, Person

pytestmark = pytest.mark.django_db

#: Explanations of ties between *other* people: never on a member's page or in the API.
SECRETS = ("SECRET-A-C", "SECRET-C-T", "SECRET-B-T", "SECRET-A-T")


def tie(a: Person, b: Person, strength: float, explanation: str, band: str = Band.REGULAR) -> Tie:
    """A stored tie, smaller person id first, as the network app keeps them."""
    low, high = sorted((a, b), key=lambda person: person.pk)
    now = timezone.now()
    return Tie.objects.create(
        person_a=low,
        person_b=high,
        strength=strength,
        band=band,
        explanation=explanation,
        last_contact=now - dt.timedelta(days=5),
        computed_at=now,
    )


@pytest.fixture(autouse=True)
def _fresh_tie_graph():
    # The graph is cached per process; every test builds its own ties.
    tie_graph_cache_clear()
    yield
    tie_graph_cache_clear()


class Network:
    """The hand-built network most tests use, seen from the member ("me").

    ::

        me ─0.9─ Ann ─0.8─ Cal ─0.9─ Tom (target, at Acme)
        me ─0.5─ Ben ─0.6─ Tom
                 Ann ─0.2─ Tom
        Dee: nobody's tie;  Uma: at Acme, tied to Ben 0.4

    Paths from me to Tom, within 3 hops, by score:
    me-Ann-Cal-Tom 0.9·0.8·0.9 = 0.648 (chance 65), me-Ben-Tom 0.5·0.6 = 0.30
    (30), me-Ann-Tom 0.9·0.2 = 0.18 (20).
    """

    def __init__(self, member, other_member):
        acme = factories.OrganizationFactory(name="Acme", kind=Organization.Kind.CLIENT)
        self.me = member.person
        self.ann = other_member.person  # Ann has a login: she answers requests
        self.ann.full_name, self.ann.title = "Ann Alder", "Account director"
        self.ann.save()
        self.ann_user = other_member
        self.ben = factories.PersonFactory(full_name="Ben Bridge", title="Engineer")
        self.cal = factories.PersonFactory(full_name="Cal Connector", title="Partner lead")
        self.tom = factories.PersonFactory(
            full_name="Tom Target",
            title="CTO",
            organization=acme,
            engagement_type=EngagementType.CLIENT,
        )
        self.uma = factories.PersonFactory(full_name="Uma Acme", organization=acme)
        self.dee = factories.PersonFactory(full_name="Dee Distant")
        self.acme = acme
        tie(self.me, self.ann, 0.9, "0.90: MY-TIE-WITH-ANN", band=Band.STRONG)
        tie(self.me, self.ben, 0.5, "0.50: MY-TIE-WITH-BEN")
        tie(self.ann, self.cal, 0.8, "SECRET-A-C", band=Band.STRONG)
        tie(self.cal, self.tom, 0.9, "SECRET-C-T", band=Band.STRONG)
        tie(self.ben, self.tom, 0.6, "SECRET-B-T")
        tie(self.ann, self.tom, 0.2, "SECRET-A-T", band=Band.OCCASIONAL)
        tie(self.ben, self.uma, 0.4, "SECRET-B-U")

    def ids(self, *people: Person) -> list[int]:
        return [person.pk for person in people]


@pytest.fixture
def net(member, other_member):
    return Network(member, other_member)


def ask(
    net: Network, member, *, path=None, message="Could you introduce me?"
) -> IntroductionRequest:
    return services.introduction_request(
        actor=member,
        target=net.tom,
        path_person_ids=path or net.ids(net.me, net.ann, net.cal, net.tom),
        message=message,
    )


# -- paths ------------------------------------------------------------------------------


def test_the_best_paths_come_first_without_a_chance_that_gives_ties_away(member, net):
    paths = selectors.introduction_paths(viewer=member, target_person_id=net.tom.pk)

    assert [path["person_ids"] for path in paths] == [
        net.ids(net.me, net.ann, net.cal, net.tom),
        net.ids(net.me, net.ben, net.tom),
        net.ids(net.me, net.ann, net.tom),
    ]
    # The old chances 65, 30, 20 divided by my own 0.9, 0.5, 0.9 gave Ben-Tom as
    # 0.60 and Ann-Tom as about 0.2: no chance figure on a path through others.
    assert [path["chance"] for path in paths] == [None, None, None]
    assert [path["hops"] for path in paths] == [3, 2, 2]
    assert paths[0]["via"] == net.ann and paths[0]["target"] == net.tom
    assert not any(path["direct"] for path in paths)


def test_a_path_shows_my_tie_in_full_and_only_names_beyond(member, net):
    """The privacy rule: the first hop is mine; of later hops, the next person and
    nothing about the tie into them (issue 13, item 7: not even its band)."""
    best = selectors.introduction_paths(viewer=member, target_person_id=net.tom.pk)[0]
    mine, *theirs = best["steps"]

    assert mine["person"] == net.ann and mine["mine"] is True
    assert mine["strength"] == pytest.approx(0.9)
    assert mine["explanation"] == "0.90: MY-TIE-WITH-ANN"
    assert mine["last_contact"] is not None
    assert [step["person"] for step in theirs] == [net.cal, net.tom]
    # My 0.9 with Ann is above the 0.60 "strong" cut-off; Ann-Cal and Cal-Tom
    # are other people's ties: no word at all.
    assert [step["tie"] for step in best["steps"]] == ["strong", None, None]
    for step in theirs:
        assert step["mine"] is False
        assert step["strength"] is None and step["explanation"] is None
        assert step["last_contact"] is None
    assert "SECRET" not in repr(best)


def test_k_and_max_hops_limit_the_paths(member, net):
    only_two_hops = selectors.introduction_paths(
        viewer=member, target_person_id=net.tom.pk, max_hops=2
    )
    assert [p["person_ids"] for p in only_two_hops] == [
        net.ids(net.me, net.ben, net.tom),
        net.ids(net.me, net.ann, net.tom),
    ]
    assert len(selectors.introduction_paths(viewer=member, target_person_id=net.tom.pk, k=1)) == 1


def test_people_without_analytics_consent_are_never_on_a_path(member, net):
    net.cal.analytics_consent = False
    net.cal.save()

    paths = selectors.introduction_paths(viewer=member, target_person_id=net.tom.pk)

    assert [p["person_ids"] for p in paths] == [
        net.ids(net.me, net.ben, net.tom),
        net.ids(net.me, net.ann, net.tom),
    ]


def test_paths_to_anyone_at_an_organization(member, net):
    paths = selectors.introduction_paths(viewer=member, target_organization_id=net.acme.pk)

    # To Tom as above, and me-Ben-Uma 0.5·0.4 = 0.20 (chance 20) ties with
    # me-Ann-Tom 0.18 (20): the score, not the rounded chance, orders them.
    assert [p["person_ids"] for p in paths] == [
        net.ids(net.me, net.ann, net.cal, net.tom),
        net.ids(net.me, net.ben, net.tom),
        net.ids(net.me, net.ben, net.uma),
    ]


def test_a_direct_tie_is_a_direct_path(member, net):
    paths = selectors.introduction_paths(viewer=member, target_person_id=net.ann.pk)

    assert paths[0]["direct"] is True and paths[0]["person_ids"] == net.ids(net.me, net.ann)
    assert paths[0]["steps"][0]["explanation"] == "0.90: MY-TIE-WITH-ANN"
    # My own tie only: its strength as a chance is mine to know (0.9 → 90).
    assert paths[0]["chance"] == 90 and paths[0]["steps"][0]["tie"] == "strong"


def test_no_path_no_person_no_target(member, net, analyst):
    assert selectors.introduction_paths(viewer=member, target_person_id=net.dee.pk) == []
    # A login without a person has no paths (and no error).
    assert selectors.introduction_paths(viewer=analyst, target_person_id=net.tom.pk) == []
    with pytest.raises(NotFoundError):
        selectors.introduction_paths(viewer=member, target_person_id=999_999)
    with pytest.raises(NotFoundError):
        selectors.introduction_paths(viewer=member, target_organization_id=999_999)
    with pytest.raises(ValidationError):
        selectors.introduction_paths(viewer=member)


def test_strength_words_follow_the_tie_bands():
    # The default band cut-offs: strong from 0.60, regular from 0.35, and
    # occasional below (dormant ties, under 0.15, read "occasional" too).
    assert [selectors.strength_label(s) for s in (0.9, 0.6, 0.5, 0.35, 0.2, 0.05, None)] == [
        "strong",
        "strong",
        "regular",
        "regular",
        "occasional",
        "occasional",
        "occasional",
    ]


def test_chance_is_rounded_to_five_percent():
    assert [selectors.chance_percent(s) for s in (0.648, 0.30, 0.18, 0.001, 1.0)] == [
        65,
        30,
        20,
        5,
        100,
    ]


# -- asking ------------------------------------------------------------------------------


def test_asking_for_an_introduction(member, net, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(net, member, message="  I am preparing a proposal for Acme.  ")

    assert request.status == IntroductionRequest.Status.PENDING
    assert (request.requester, request.via, request.target) == (net.me, net.ann, net.tom)
    assert request.path == net.ids(net.me, net.ann, net.cal, net.tom)
    assert request.message == "I am preparing a proposal for Acme."
    assert request.target_organization is None
    # The via person hears of it, after the commit.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [net.ann.primary_email]
    assert str(net.me) in message.subject and str(net.tom) in message.subject
    assert "I am preparing a proposal for Acme." in message.body
    assert f"/interactions/introductions/{request.pk}/" in message.body
    assert "SECRET" not in message.body
    entry = AuditEntry.objects.get(object_type="introduction_request")
    assert entry.actor == member and entry.action == AuditEntry.Action.CREATE


def test_asking_for_anyone_at_an_organization(member, net):
    request = services.introduction_request(
        actor=member,
        target=net.acme,
        path_person_ids=net.ids(net.me, net.ben, net.uma),
        message="Anyone at Acme who runs procurement?",
    )
    assert request.target == net.uma and request.target_organization == net.acme


@pytest.mark.parametrize(
    "path, message",
    [
        (lambda n: n.ids(n.ann, n.cal, n.tom), "starts with you"),
        (lambda n: n.ids(n.me, n.ann, n.cal), "must end at Tom Target"),
        (lambda n: n.ids(n.me, n.tom), "through the person you ask"),
        (lambda n: n.ids(n.me, n.dee, n.tom), "no known tie with Dee Distant"),
        (lambda n: n.ids(n.me, n.ann, n.dee, n.tom), "suggested paths"),
        (lambda n: n.ids(n.me, n.ann, n.ben, n.cal, n.tom), "at most 3 hops"),
        (lambda n: n.ids(n.me, n.ann, n.me, n.tom), "twice"),
        (lambda n: [n.me.pk, 999_999, n.tom.pk], "No person with id 999999"),
        (lambda n: ["x"], "list of person ids"),
    ],
)
def test_a_bad_path_is_refused_and_nothing_is_saved(member, net, path, message):
    with pytest.raises(ValidationError) as caught:
        ask(net, member, path=path(net))

    assert message in " ".join(caught.value.message_dict["path"])
    assert IntroductionRequest.objects.count() == 0
    assert mail.outbox == []


def test_a_hop_between_others_without_a_tie_names_nobody(member, net):
    """Refusing a path must not tell the member which tie between others is missing."""
    with pytest.raises(ValidationError) as caught:
        ask(net, member, path=net.ids(net.me, net.ann, net.dee, net.tom))
    text = " ".join(caught.value.messages)
    assert "Dee" not in text and "Ann" not in text


def test_a_hop_through_someone_without_consent_is_refused(member, net):
    net.cal.analytics_consent = False
    net.cal.save()
    with pytest.raises(ValidationError):
        ask(net, member)
    assert IntroductionRequest.objects.count() == 0


def test_a_message_is_required(member, net):
    with pytest.raises(ValidationError) as caught:
        ask(net, member, message="   ")
    assert "message" in caught.value.message_dict
    assert IntroductionRequest.objects.count() == 0


def test_one_pending_request_per_ask(member, net):
    ask(net, member)
    with pytest.raises(ValidationError, match="already asked"):
        ask(net, member)
    assert IntroductionRequest.objects.count() == 1


def test_a_login_without_a_person_cannot_ask(analyst, net):
    with pytest.raises(ValidationError, match="not linked to a person"):
        services.introduction_request(
            actor=analyst, target=net.tom, path_person_ids=[1, 2, 3], message="hi"
        )


# -- answering ------------------------------------------------------------------------------


def app_events() -> list[dict]:
    return get_event_store().events(source="app").to_pylist()


def test_accepting_records_the_introduction(member, net, django_capture_on_commit_callbacks):
    request = ask(net, member)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.introduction_respond(
            actor=net.ann_user, request=request, accept=True, note="Happy to — e-mailing you both."
        )

    request.refresh_from_db()
    assert request.status == IntroductionRequest.Status.ACCEPTED
    assert request.response_note == "Happy to — e-mailing you both."
    assert request.responded_at is not None
    interaction = Interaction.objects.get()
    assert request.interaction == interaction
    assert interaction.channel == Channel.INTRODUCTION
    assert interaction.logged_by == net.ann_user
    assert set(interaction.participants.all()) == {net.ann, net.me, net.tom}
    # Like every logged interaction, it reached the event store on commit.
    (event,) = app_events()
    assert event["external_id"] == f"interaction:{interaction.pk}"
    assert event["channel"] == "introduction" and event["direction"] == "two_way"
    assert event["sender_id"] == net.ann.pk
    assert sorted(event["recipient_ids"]) == sorted([net.me.pk, net.tom.pk])
    # The requester hears the answer.
    assert [m.to for m in mail.outbox] == [[net.me.primary_email]]
    assert "accepted" in mail.outbox[0].subject
    assert "Happy to" in mail.outbox[0].body


def test_declining(member, net, django_capture_on_commit_callbacks):
    request = ask(net, member)
    with django_capture_on_commit_callbacks(execute=True):
        services.introduction_respond(
            actor=net.ann_user, request=request, accept=False, note="Not this quarter."
        )
    request.refresh_from_db()
    assert request.status == IntroductionRequest.Status.DECLINED
    assert request.interaction is None and Interaction.objects.count() == 0
    assert "declined" in mail.outbox[-1].subject and "Not this quarter." in mail.outbox[-1].body


def test_only_the_via_person_may_answer(member, net, admin_user):
    request = ask(net, member)
    tom_user = factories.UserFactory(username="tom", person=net.tom)
    for someone in (member, tom_user, admin_user):
        with pytest.raises(NotFoundError):
            services.introduction_respond(actor=someone, request=request, accept=True)
    request.refresh_from_db()
    assert request.status == IntroductionRequest.Status.PENDING
    assert Interaction.objects.count() == 0


def test_a_request_is_answered_once(member, net):
    request = ask(net, member)
    services.introduction_respond(actor=net.ann_user, request=request, accept=False)
    with pytest.raises(ValidationError, match="answered already"):
        services.introduction_respond(actor=net.ann_user, request=request, accept=True)
    assert Interaction.objects.count() == 0


def test_withdrawing(member, net):
    request = ask(net, member)
    with pytest.raises(NotFoundError):
        services.introduction_withdraw(actor=net.ann_user, request=request)
    services.introduction_withdraw(actor=member, request=request)
    request.refresh_from_db()
    assert request.status == IntroductionRequest.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        services.introduction_respond(actor=net.ann_user, request=request, accept=True)
    # Withdrawn, the same ask can be made again.
    assert ask(net, member).is_pending


def test_recording_the_outcome(member, net, other_member):
    request = ask(net, member)
    with pytest.raises(ValidationError, match="once the introduction has been accepted"):
        services.introduction_record_outcome(actor=member, request=request, outcome="Met")
    services.introduction_respond(actor=net.ann_user, request=request, accept=True)

    outsider = factories.UserFactory(username="olga")
    with pytest.raises(NotFoundError):
        services.introduction_record_outcome(actor=outsider, request=request, outcome="Met")
    with pytest.raises(ValidationError):
        services.introduction_record_outcome(actor=member, request=request, outcome=" ")

    services.introduction_record_outcome(
        actor=member, request=request, outcome="Met Tom; Acme signed a pilot."
    )
    request.refresh_from_db()
    assert request.status == IntroductionRequest.Status.COMPLETED
    assert request.outcome == "Met Tom; Acme signed a pilot." and request.outcome_at is not None
    # The via person may update it.
    services.introduction_record_outcome(
        actor=other_member, request=request, outcome="Pilot became a contract."
    )
    request.refresh_from_db()
    assert request.outcome == "Pilot became a contract."


def test_who_sees_a_request(member, net, admin_user):
    request = ask(net, member)
    assert list(selectors.introduction_list(viewer=member, role="sent")) == [request]
    assert list(selectors.introduction_list(viewer=member, role="received")) == []
    assert list(selectors.introduction_list(viewer=net.ann_user, role="received")) == [request]
    assert selectors.access_introduction(viewer=net.ann_user, request_id=request.pk) == request
    tom_user = factories.UserFactory(username="tom", person=net.tom)
    for someone in (tom_user, admin_user):
        assert list(selectors.introduction_list(viewer=someone)) == []
        with pytest.raises(NotFoundError):
            selectors.access_introduction(viewer=someone, request_id=request.pk)


def test_the_model_names_three_different_people(net):
    request = IntroductionRequest(
        requester=net.me, via=net.me, target=net.tom, path=[], message="x"
    )
    with pytest.raises(ValidationError, match="three different people"):
        request.full_clean()
    assert "→" in str(IntroductionRequest(requester=net.me, via=net.ann, target=net.tom))
