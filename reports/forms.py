from django import forms
from django.conf import settings

from assessments.forms import NamedErrorsForm


class VerifyForm(NamedErrorsForm):
    file = forms.FileField(required=False, label="A PDF document",
                           help_text="The file stays private: it is checked and not kept.")
    code = forms.CharField(required=False, max_length=40, label="Or its verification code",
                           help_text="Printed at the foot of every page, for example IIA-ABCD-EFGH-JKLM.")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > settings.IIA_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {settings.IIA_MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("code") or "").strip():
            raise forms.ValidationError("Choose a PDF file or type a verification code.")
        return data
