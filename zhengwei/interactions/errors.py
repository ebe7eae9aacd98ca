from django.core.exceptions import ValidationError


class IllegalMove(ValidationError):
    """A move the conversation or reply workflow does not allow."""
