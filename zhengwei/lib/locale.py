"""The office's language is the default (LANGUAGE_CODE, zh-hans); a browser's Accept-Language
does not override it. A signed-in person's own choice (``User.language``, saved on 我的安全设置)
comes first, on every device they sign in on; before sign-in, the language switch (the language
cookie) decides. Placed after the authentication middleware, so ``request.user`` is known."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class OfficeLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if chosen not in supported:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
