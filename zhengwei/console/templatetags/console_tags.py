from django import template

register = template.Library()


@register.filter
def is_under(path: str, prefix: str) -> bool:
    """True when the page at ``path`` belongs to the section at ``prefix`` (sidebar highlight)."""
    return bool(prefix) and prefix != "/" and path.startswith(prefix)
