"""Turns domain errors raised in views into the right HTTP answer."""

from django.http import Http404

from bridgework.core.errors import NotFoundError


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
