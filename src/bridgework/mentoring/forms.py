"""Forms of the mentoring pages. They only read input; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from bridgework.accounts.forms import ServiceErrorsMixin
from bridgework.mentoring.frameworks import LEVELS
from bridgework.mentoring.models import (
    MAX_CADENCE_DAYS,
    MAX_CAPACITY,
    Assessment,
    Enrollment,
    FrameworkVersion,
    MatchOverride,
    MeetingFormat,
    MentoringSession,
    PracticePlan,
    Program,
    SessionNote,
)
from bridgework.people.forms import PersonChoiceField, PersonMultipleChoiceField
from bridgework.people.models import Organization, Person, Skill, Team

__all__ = [
    "ProgramForm",
    "EnrollmentForm",
    "FrameworkYamlForm",
    "OverrideForm",
    "RequestMentorForm",
    "AgreementForm",
    "SessionForm",
    "SessionLogForm",
    "NoteForm",
    "FeedbackForm",
    "FitCheckForm",
    "ActionItemForm",
    "PracticePlanForm",
    "PracticeReflectForm",
    "IntroductionForm",
    "AssessmentRequestForm",
    "AssessmentForm",
    "RoundOpenForm",
    "EndForm",
]

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_LEVEL_CHOICES = [(level, str(level)) for level in LEVELS]


def _datetime_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )


class _VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FrameworkVersion) -> str:
        return f"{obj.framework.name} (version {obj.number})"


def latest_versions():
    """The newest version of every framework, for a program's framework choice."""
    newest = (
        FrameworkVersion.objects.filter(framework=OuterRef("framework"))
        .order_by("-number")
        .values("pk")[:1]
    )
    return FrameworkVersion.objects.filter(pk=Subquery(newest))


class ProgramForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    goal = forms.CharField(
        label="Goal",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the program is for, in a few sentences.",
    )
    framework_version = _VersionChoiceField(
        label="Behavior framework",
        queryset=FrameworkVersion.objects.none(),
        help_text="The behaviors mentees work on and are assessed against.",
    )
    kind = forms.ChoiceField(label="Kind", choices=Program.Kind.choices)
    start_date = forms.DateField(label="Starts", widget=_DATE)
    end_date = forms.DateField(
        label="Ends",
        required=False,
        widget=_DATE,
        help_text="Cohorts end; ongoing programs need not.",
    )
    matching_mode = forms.ChoiceField(label="Matching", choices=Program.MatchingMode.choices)
    session_cadence_days = forms.IntegerField(
        label="Session cadence (days)", min_value=1, max_value=MAX_CADENCE_DAYS, initial=14
    )
    assessment_cadence_days = forms.IntegerField(
        label="Check-in assessments every (days)",
        required=False,
        min_value=7,
        max_value=365,
        help_text="Ongoing programs; cohorts assess at the start, midpoint and end.",
    )
    max_time_zone_difference_hours = forms.FloatField(
        label="Largest time-zone difference in a pair (hours)",
        required=False,
        min_value=0,
        max_value=12,
        initial=6,
        help_text="Empty: any difference.",
    )
    allow_repeat_pairing = forms.BooleanField(
        label="Allow pairing a mentee with an earlier mentor", required=False
    )
    maximize_participation = forms.BooleanField(
        label="Match as many mentees as possible first, then the best total score",
        required=False,
        initial=True,
    )
    weight_behavior = forms.FloatField(label="Weight: behaviors", min_value=0, initial=0.4)
    weight_network = forms.FloatField(label="Weight: network", min_value=0, initial=0.3)
    weight_skills = forms.FloatField(label="Weight: skills", min_value=0, initial=0.2)
    weight_preferences = forms.FloatField(label="Weight: preferences", min_value=0, initial=0.1)

    def __init__(self, *args, program: Program | None = None, **kwargs):
        if program is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(program, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        queryset = latest_versions()
        if program is not None:
            queryset = queryset | FrameworkVersion.objects.filter(pk=program.framework_version_id)
        cast(
            _VersionChoiceField, self.fields["framework_version"]
        ).queryset = queryset.select_related("framework").order_by(
            "-framework__is_default", "framework__name", "-number"
        )

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class EnrollmentForm(ServiceErrorsMixin, forms.Form):
    """A mentor's or mentee's profile in a program; the fields follow the role."""

    role = forms.ChoiceField(label="I join as", choices=Enrollment.Role.choices)
    goals = forms.CharField(
        label="Goals",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you want from the program (mentees), or what you offer (mentors).",
    )
    behaviors_to_develop = forms.MultipleChoiceField(
        label="Behaviors to develop",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Mentors are matched for being strong in these.",
    )
    skills_wanted = forms.ModelMultipleChoiceField(
        label="Skills you want to learn",
        required=False,
        queryset=Skill.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    needed_teams = forms.ModelMultipleChoiceField(
        label="Teams your goals need",
        required=False,
        queryset=Team.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="A mentor who reaches into these teams scores higher.",
    )
    needed_organizations = forms.ModelMultipleChoiceField(
        label="Organizations your goals need",
        required=False,
        queryset=Organization.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    availability = forms.CharField(
        label="Availability", required=False, max_length=200, help_text="e.g. Tuesday mornings."
    )
    time_zone = forms.CharField(
        label="Time zone",
        required=False,
        max_length=64,
        help_text="Empty: the time zone of your profile.",
    )
    meeting_format = forms.ChoiceField(label="How to meet", choices=MeetingFormat.choices)
    prefer_other_team = forms.BooleanField(
        label="I prefer a mentor from another team", required=False
    )
    preferred_mentors = PersonMultipleChoiceField(
        label="Mentors I would like",
        required=False,
        queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    excluded_people = PersonMultipleChoiceField(
        label="People I do not want to be paired with",
        required=False,
        queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text="Never shown to them.",
    )
    capacity = forms.IntegerField(
        label="How many mentees I can take", min_value=0, max_value=MAX_CAPACITY, initial=2
    )

    def __init__(
        self,
        *args,
        program: Program,
        role: str | None = None,
        enrollment: Enrollment | None = None,
        **kwargs,
    ):
        self.program = program
        role = enrollment.role if enrollment is not None else role
        if enrollment is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "role": enrollment.role,
                "goals": enrollment.goals,
                "behaviors_to_develop": enrollment.behaviors_to_develop,
                "skills_wanted": list(enrollment.skills_wanted.all()),
                "needed_teams": list(enrollment.needed_teams.all()),
                "needed_organizations": list(enrollment.needed_organizations.all()),
                "availability": enrollment.availability,
                "time_zone": enrollment.time_zone,
                "meeting_format": enrollment.meeting_format,
                "prefer_other_team": enrollment.prefer_other_team,
                "preferred_mentors": list(enrollment.preferred_mentors.all()),
                "excluded_people": list(enrollment.excluded_people.all()),
                "capacity": enrollment.capacity,
                **{f"level_{k}": v for k, v in (enrollment.self_levels or {}).items()},
            }
        super().__init__(*args, **kwargs)
        version = program.framework_version
        self.behaviors = version.behaviors
        cast(forms.MultipleChoiceField, self.fields["behaviors_to_develop"]).choices = [
            (b["key"], b["name"]) for b in self.behaviors
        ]
        for behavior in self.behaviors:
            self.fields[f"level_{behavior['key']}"] = forms.TypedChoiceField(
                label=f"My level: {behavior['name']}",
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "Not rated")]
                + [
                    (row["level"], f"{row['level']} — {row['description']}")
                    for row in behavior["rubric"]
                ],
            )
        cast(
            forms.ModelMultipleChoiceField, self.fields["skills_wanted"]
        ).queryset = Skill.objects.order_by("name")
        cast(
            forms.ModelMultipleChoiceField, self.fields["needed_teams"]
        ).queryset = Team.objects.select_related("organization").order_by("name")
        cast(
            forms.ModelMultipleChoiceField, self.fields["needed_organizations"]
        ).queryset = Organization.objects.order_by("name")
        enrolled = program.enrollments.filter(status=Enrollment.Status.ACTIVE)
        mentor_ids = enrolled.filter(role=Enrollment.Role.MENTOR).values("person_id")
        everyone = enrolled.values("person_id")
        cast(
            PersonMultipleChoiceField, self.fields["preferred_mentors"]
        ).queryset = Person.objects.filter(pk__in=mentor_ids).select_related("organization", "team")
        cast(
            PersonMultipleChoiceField, self.fields["excluded_people"]
        ).queryset = Person.objects.filter(pk__in=everyone).select_related("organization", "team")
        if enrollment is not None:
            del self.fields["role"]
        elif role:
            self.fields["role"].initial = role
        if role == Enrollment.Role.MENTEE:
            del self.fields["capacity"]
        elif role == Enrollment.Role.MENTOR:
            for name in (
                "behaviors_to_develop",
                "skills_wanted",
                "needed_teams",
                "needed_organizations",
                "prefer_other_team",
                "preferred_mentors",
            ):
                del self.fields[name]
            self.fields["goals"].label = "What I offer as a mentor"

    def level_fields(self):
        return [self[f"level_{b['key']}"] for b in self.behaviors]

    def profile_fields(self):
        levels = {f"level_{b['key']}" for b in self.behaviors}
        return [f for f in self.visible_fields() if f.name not in levels and f.name != "role"]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        levels = {}
        for behavior in self.behaviors:
            value = data.pop(f"level_{behavior['key']}", None)
            if value is not None:
                levels[behavior["key"]] = value
        data["self_levels"] = levels
        data.pop("role", None)
        for name in (
            "skills_wanted",
            "needed_teams",
            "needed_organizations",
            "preferred_mentors",
            "excluded_people",
        ):
            if name in data:
                data[name] = list(data[name])
        return data


class FrameworkYamlForm(ServiceErrorsMixin, forms.Form):
    """A framework as YAML: an uploaded file, or the text typed in."""

    file = forms.FileField(label="YAML file", required=False)
    content = forms.CharField(
        label="Framework (YAML)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "mono"}),
    )
    note = forms.CharField(label="What changed", required=False, max_length=300)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("file") and not (data.get("content") or "").strip():
            raise forms.ValidationError("Upload a YAML file or paste the framework.")
        return data

    def text(self) -> str | bytes:
        upload = self.cleaned_data.get("file")
        return upload.read() if upload else self.cleaned_data["content"]


class _EnrollmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Enrollment) -> str:
        return obj.person.full_name


class OverrideForm(ServiceErrorsMixin, forms.Form):
    mentee = _EnrollmentChoiceField(label="Mentee", queryset=Enrollment.objects.none())
    mentor = _EnrollmentChoiceField(label="Mentor", queryset=Enrollment.objects.none())
    kind = forms.ChoiceField(
        label="Decision",
        choices=[
            (MatchOverride.Kind.FIX, "Fix this pair"),
            (MatchOverride.Kind.VETO, "Veto this pair"),
        ],
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        active = program.enrollments.filter(status=Enrollment.Status.ACTIVE).select_related(
            "person"
        )
        cast(_EnrollmentChoiceField, self.fields["mentee"]).queryset = active.filter(
            role=Enrollment.Role.MENTEE
        ).order_by("person__full_name")
        cast(_EnrollmentChoiceField, self.fields["mentor"]).queryset = active.filter(
            role=Enrollment.Role.MENTOR
        ).order_by("person__full_name")


class RequestMentorForm(ServiceErrorsMixin, forms.Form):
    mentor = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label="Message to the mentor",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why you would like them as your mentor.",
    )


class AgreementForm(ServiceErrorsMixin, forms.Form):
    goals = forms.CharField(
        label="Our goals", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    cadence_days = forms.IntegerField(
        label="We meet every (days)", min_value=1, max_value=MAX_CADENCE_DAYS
    )
    meeting_format = forms.ChoiceField(label="How we meet", choices=MeetingFormat.choices)
    confidentiality = forms.CharField(
        label="Confidentiality", widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(ServiceErrorsMixin, forms.Form):
    scheduled_at = _datetime_field("When")
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", required=False, min_value=5, max_value=480, initial=45
    )
    agenda = forms.CharField(
        label="Agenda", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    held = forms.BooleanField(label="This session has already been held", required=False)
    behaviors_practiced = forms.MultipleChoiceField(
        label="Behaviors practised",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    note_visibility = forms.ChoiceField(
        label="Who reads the note",
        choices=SessionNote.Visibility.choices,
        initial=SessionNote.Visibility.PRIVATE,
    )

    def __init__(self, *args, program: Program, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "scheduled_at": (timezone.now() + dt.timedelta(days=7)).replace(
                    second=0, microsecond=0
                )
            },
        )
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["behaviors_practiced"]).choices = [
            (b["key"], b["name"]) for b in program.framework_version.behaviors
        ]


class SessionLogForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(
        label="What happened",
        choices=[c for c in MentoringSession.Status.choices if c[0] != "scheduled"],
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", required=False, min_value=5, max_value=480
    )
    behaviors_practiced = forms.MultipleChoiceField(
        label="Behaviors practised", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["behaviors_practiced"]).choices = [
            (b["key"], b["name"]) for b in program.framework_version.behaviors
        ]


class NoteForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(
        label="Who reads it", choices=SessionNote.Visibility.choices, initial="private"
    )


class FeedbackForm(ServiceErrorsMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label="How useful was this session?",
        coerce=int,
        choices=_LEVEL_CHOICES,
        widget=forms.RadioSelect,
        help_text="1 = not useful, 5 = very useful. The program manager sees this, not the other side.",
    )
    comment = forms.CharField(label="Comment", required=False, max_length=500)


class FitCheckForm(ServiceErrorsMixin, forms.Form):
    fit = forms.TypedChoiceField(
        label="How well does this pairing work for you?",
        coerce=int,
        choices=_LEVEL_CHOICES,
        widget=forms.RadioSelect,
        help_text="1 = poorly, 5 = very well. The program manager sees this, not the other side.",
    )
    wants_rematch = forms.BooleanField(label="I would like a different match", required=False)
    comment = forms.CharField(
        label="Comment for the program manager", required=False, max_length=500
    )


class ActionItemForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label="Action", max_length=200)
    owner = forms.ChoiceField(label="Who", choices=[("mentee", "Mentee"), ("mentor", "Mentor")])
    due_on = forms.DateField(label="Due", required=False, widget=_DATE)


class PracticePlanForm(ServiceErrorsMixin, forms.Form):
    behavior_key = forms.ChoiceField(label="Behavior to practise")
    conversation = forms.CharField(
        label="The conversation",
        max_length=300,
        help_text="A real conversation to hold: with whom, about what.",
    )
    planned_for = forms.DateField(label="When", required=False, widget=_DATE)
    preparation = forms.CharField(
        label="Preparation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you want to leave with, your opening, the questions you will ask.",
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["behavior_key"]).choices = [
            (b["key"], b["name"]) for b in program.framework_version.behaviors
        ]


class PracticeReflectForm(ServiceErrorsMixin, forms.Form):
    preparation = forms.CharField(
        label="Preparation", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    status = forms.ChoiceField(label="Status", choices=PracticePlan.Status.choices)
    reflection = forms.CharField(
        label="Reflection",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="How it went, what you would do differently, what comes next.",
    )
    confidence_after = forms.TypedChoiceField(
        label="How confident did you feel afterwards?",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *_LEVEL_CHOICES],
    )


class IntroductionForm(ServiceErrorsMixin, forms.Form):
    target = forms.TypedChoiceField(label="Introduce my mentee to", coerce=int)
    message = forms.CharField(
        label="Why they should meet",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent to both of them.",
    )

    def __init__(self, *args, contacts: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["target"]).choices = contacts


class AssessmentRequestForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label="Who assesses", choices=Assessment.Kind.choices)
    round = forms.ChoiceField(label="Round", choices=Assessment.Round.choices)
    assessor = PersonChoiceField(
        label="Peer",
        required=False,
        queryset=Person.objects.none(),
        help_text="For a peer assessment: a colleague with a Bridgework login. They see only the form.",
    )
    due_on = forms.DateField(label="Due", required=False, widget=_DATE)

    def __init__(self, *args, exclude: tuple[int, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        cast(PersonChoiceField, self.fields["assessor"]).queryset = (
            Person.objects.filter(user__isnull=False, user__is_active=True)
            .exclude(pk__in=exclude)
            .select_related("organization", "team")
        )


class AssessmentForm(ServiceErrorsMixin, forms.Form):
    """One 1-5 choice per behavior, each level labelled with its rubric text."""

    comment = forms.CharField(
        label="Overall comment", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, version: FrameworkVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.behaviors = version.behaviors
        for behavior in self.behaviors:
            key = behavior["key"]
            self.fields[f"level_{key}"] = forms.TypedChoiceField(
                label=behavior["name"],
                coerce=int,
                choices=[
                    (row["level"], f"{row['level']} — {row['description']}")
                    for row in behavior["rubric"]
                ],
                widget=forms.RadioSelect,
                help_text=behavior["description"],
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label="What you observed", required=False, max_length=500
            )

    def rows(self):
        return [(b, self[f"level_{b['key']}"], self[f"note_{b['key']}"]) for b in self.behaviors]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "ratings": {b["key"]: data.get(f"level_{b['key']}") for b in self.behaviors},
            "notes": {b["key"]: data.get(f"note_{b['key']}", "") for b in self.behaviors},
            "comment": data.get("comment", ""),
        }


class RoundOpenForm(ServiceErrorsMixin, forms.Form):
    round = forms.ChoiceField(label="Round", choices=Assessment.Round.choices)
    due_on = forms.DateField(label="Due", required=False, widget=_DATE)


class EndForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label="Why", required=False, max_length=300)
