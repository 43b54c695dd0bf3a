"""The one function that sends e-mail: three templates per message (subject, text, HTML).

The message is rendered in the recipient's language, not the sender's (healthchecks does the same
with its templates/emails/).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(*, template: str, to, context: dict) -> None:
    """Render templates/emails/<template>-subject.txt, -body.txt and -body.html and send them."""
    address = to.email if hasattr(to, "email") else str(to)
    if not address:
        return
    language = getattr(to, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = render_to_string(f"emails/{template}-subject.txt", context).strip()
        text = render_to_string(f"emails/{template}-body.txt", context)
        html = render_to_string(f"emails/{template}-body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    message.attach_alternative(html, "text/html")
    message.send()
