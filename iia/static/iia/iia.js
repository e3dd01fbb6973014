// Move focus to the error summary after a failed submit, and from a summary link to
// the field it names (browsers only scroll to an anchor; keyboard users need focus).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
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
