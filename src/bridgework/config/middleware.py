"""Request-wide behaviour: domain errors as HTTP answers, the viewer's time zone."""

from django.http import Http404
from django.utils import timezone

from bridgework.core.errors import NotFoundError
from bridgework.people.pages import viewer_time_zone


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFoundError):
            # Re-raised as Http404 so Django renders its usual 404 page.
            raise Http404(str(exception) or "Not found") from exception
        return None


class ViewerTimeZoneMiddleware:
    """Show and read dates and times in the viewer's own time zone.

    Forms read a ``datetime-local`` value in the current time zone, and
    templates show aware datetimes in it, so both follow the viewer's profile.
    The whole response (template responses included) is produced inside it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return self.get_response(request)
        with timezone.override(viewer_time_zone(request)):
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response
