"""Forms of requests for other formats and of Easy Read summaries."""

import re

from django import forms

from assessments.forms import NamedErrorsForm
from assessments.models.easy_read import EASY_READ_MAX_CHARS

from .models import OtherFormat

# digits with spaces, brackets, dashes and a leading +: 7 to 15 digits (E.164's longest)
PHONE = re.compile(r"\+?[\d ()\-]{7,25}")


class FormatRequestForm(NamedErrorsForm):
    """Asking for a published document in another format. ``website`` is a trap for robots:
    hidden from people (and from screen readers), filled in only by software that fills in
    every field."""

    required_messages = {"format": "Choose the format you would like."}

    format = forms.ChoiceField(choices=OtherFormat.choices, widget=forms.RadioSelect,
                               label="The format you would like")
    language = forms.CharField(required=False, max_length=60, label="Which language? (only for another language)",
                               help_text="For example Polish, Arabic or Scottish Gaelic.")
    name = forms.CharField(required=False, max_length=100, label="Your name (optional)")
    email = forms.EmailField(required=False, max_length=254, label="Email address",
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(required=False, max_length=25, label="Phone number",
                            help_text="Give an email address, a phone number or both.",
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    note = forms.CharField(required=False, max_length=1000, label="Anything else we should know (optional)",
                           help_text="For example how you would like to receive it. At most 1000 characters.",
                           widget=forms.Textarea(attrs={"rows": 4}))
    website = forms.CharField(required=False, max_length=200, label="Leave this empty",
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        if phone and (not PHONE.fullmatch(phone) or not 7 <= sum(c.isdigit() for c in phone) <= 15):
            raise forms.ValidationError("Enter a phone number with 7 to 15 digits, for example 01382 434000.")
        return phone

    def clean(self):
        data = super().clean()
        if data.get("format") == OtherFormat.ANOTHER_LANGUAGE and not data.get("language"):
            self.add_error("language", "Say which language you would like it in.")
        if not data.get("email") and not data.get("phone") and "email" not in self.errors and "phone" not in self.errors:
            self.add_error("email", "Give an email address or a phone number, so that we can send it to you.")
        return data

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


class FormatRequestDoneForm(NamedErrorsForm):
    sent_what = forms.CharField(max_length=1000, label="What was sent, and how",
                                help_text="For example: Easy Read version, emailed as a PDF.",
                                widget=forms.Textarea(attrs={"rows": 3}))
    sent_on = forms.DateField(label="Date sent", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class EasyReadForm(NamedErrorsForm):
    required_messages = {"text": "Write the Easy Read summary."}

    text = forms.CharField(max_length=EASY_READ_MAX_CHARS, label="Easy Read summary",
                           help_text=f"Short sentences in plain words: what is changing, who it affects and what "
                                     f"the board will do about it. At most {EASY_READ_MAX_CHARS} characters.",
                           widget=forms.Textarea(attrs={"rows": 10}))
