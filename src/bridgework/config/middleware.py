"""Request-wide behaviour: domain errors as HTTP answers, the viewer's time zone,
private answers (no caching, no browser features)."""

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.cache import patch_cache_control

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


class PrivateResponseMiddleware:
    """Keep answers that may hold personal data out of caches, and browser features off.

    Every page, API answer, CSV and PDF gets ``Cache-Control: private, no-store``
    (no shared proxy and no browser disk cache keeps someone's network or
    metrics, e.g. on a shared computer after sign-out) and the
    ``Permissions-Policy`` of ``settings.PERMISSIONS_POLICY`` (camera, microphone,
    location and the like: Bridgework uses none). Static files never reach it:
    WhiteNoise answers them earlier in ``MIDDLEWARE`` and they keep their caching;
    a request under ``STATIC_URL`` that does get here is left alone as well.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(settings.STATIC_URL):
            return response
        patch_cache_control(response, private=True, no_store=True)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response
