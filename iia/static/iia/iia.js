// Move focus to the error summary after a failed submit, and from a summary link to
// the field it names (browsers only scroll to an anchor; keyboard users need focus).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    // A form sent from an in-page link's target (e.g. #decision) comes back with that
    // fragment, and the browser would move focus to its target after this: drop it.
    if (window.location.hash) { history.replaceState(null, "", window.location.pathname + window.location.search); }
    summary.focus();
  }
  document.querySelectorAll("[data-error-summary] a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      var holder = target.closest("fieldset, .field") || target;
      holder.scrollIntoView();
      target.focus();
    });
  });
});

// The agenda pack builds in the background: show its progress without reloading the
// page (and so without moving focus), then reload once when it is ready.
document.addEventListener("DOMContentLoaded", function () {
  var panel = document.querySelector("[data-pack-status]");
  if (!panel || panel.getAttribute("data-pack-building") !== "true") { return; }
  var message = panel.querySelector("[data-pack-message]");
  var bar = panel.querySelector("[data-pack-progress]");
  function poll() {
    fetch(panel.getAttribute("data-pack-status"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status === "ready" || data.status === "failed") { window.location.reload(); return; }
        if (bar) { bar.value = data.progress; bar.textContent = data.progress + "%"; }
        if (message) { message.textContent = "Being built: " + data.message + "."; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
});
