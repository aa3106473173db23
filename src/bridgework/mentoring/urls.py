"""Pages of the mentoring app."""

from django.urls import path

from bridgework.mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
    # Frameworks
    path("frameworks/", views.framework_list, name="frameworks"),
    path("frameworks/import/", views.framework_import, name="framework_import"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework_detail"),
    path("frameworks/<int:pk>/edit/", views.framework_edit, name="framework_edit"),
    # Programs
    path("programs/", views.program_list, name="programs"),
    path("programs/new/", views.program_create, name="program_create"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("programs/<int:pk>/enrollment/", views.program_enrollment, name="program_enrollment"),
    path("programs/<int:pk>/finish/", views.program_finish, name="program_finish"),
    path("programs/<int:pk>/assessments/", views.program_round_open, name="program_round_open"),
    path("programs/<int:pk>/join/", views.enroll, name="enroll"),
    path("programs/<int:pk>/dashboard/", views.program_dashboard, name="program_dashboard"),
    path("programs/<int:pk>/report/", views.program_report, name="program_report"),
    # Matching
    path("programs/<int:pk>/matching/", views.matching, name="matching"),
    path("programs/<int:pk>/matching/run/", views.matching_run, name="matching_run"),
    path("programs/<int:pk>/matching/override/", views.matching_override, name="matching_override"),
    path(
        "programs/<int:pk>/matching/overrides/<int:override_id>/remove/",
        views.override_remove,
        name="override_remove",
    ),
    path("programs/<int:pk>/matching/publish/", views.matching_publish, name="matching_publish"),
    path("programs/<int:pk>/suggestions/", views.suggestions, name="suggestions"),
    path(
        "programs/<int:pk>/suggestions/request/",
        views.suggestion_request,
        name="suggestion_request",
    ),
    # Enrollments
    path("enrollments/<int:pk>/edit/", views.enrollment_edit, name="enrollment_edit"),
    path("enrollments/<int:pk>/withdraw/", views.enrollment_withdraw, name="enrollment_withdraw"),
    # Relationships
    path("relationships/<int:pk>/", views.relationship_detail, name="relationship_detail"),
    path(
        "relationships/<int:pk>/respond/", views.relationship_respond, name="relationship_respond"
    ),
    path("relationships/<int:pk>/end/", views.relationship_end, name="relationship_end"),
    path("relationships/<int:pk>/agreement/", views.agreement_edit, name="agreement_edit"),
    path(
        "relationships/<int:pk>/agreement/agree/", views.agreement_confirm, name="agreement_confirm"
    ),
    path(
        "relationships/<int:pk>/agreement/sharing/",
        views.agreement_sharing,
        name="agreement_sharing",
    ),
    path("relationships/<int:pk>/fit/", views.fit_check, name="fit_check"),
    path("relationships/<int:pk>/actions/", views.action_item_create, name="action_item_create"),
    path("relationships/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("relationships/<int:pk>/practice/new/", views.practice_create, name="practice_create"),
    path(
        "relationships/<int:pk>/introductions/new/",
        views.introduction_create,
        name="introduction_create",
    ),
    path(
        "relationships/<int:pk>/assessments/", views.assessment_request, name="assessment_request"
    ),
    path("actions/<int:pk>/toggle/", views.action_item_toggle, name="action_item_toggle"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/log/", views.session_log, name="session_log"),
    path("sessions/<int:pk>/notes/", views.session_note, name="session_note"),
    path("sessions/<int:pk>/feedback/", views.session_feedback, name="session_feedback"),
    path("practice/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
]
