// Beside django-otp-webauthn's script (the code step and the set-up page; iia/passkey_views.py).
// Its messages go through Django's gettext; the site is in English only, so they are shown as
// written, with no catalogue to fetch.
window.gettext = window.gettext || function (text) { return text; };

// Once a passkey is added: on to the backup codes if it was the person's first second factor,
// or back to the list of their passkeys (the hidden form's POST decides which).
document.addEventListener("otp_webauthn.register_complete", function () {
  var form = document.getElementById("passkey-added");
  if (form) { form.submit(); }
});
