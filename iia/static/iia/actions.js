// "Add another action" at once: a copy of the blank action's template is added to the
// list, the formset's count goes up, focus moves to the new action's first field and a
// screen reader hears that it was added. Without this script the button posts the form
// and the page comes back with one more blank action, nothing typed lost.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("[data-add-action]");
  var list = document.querySelector("[data-action-list]");
  var template = document.querySelector("[data-action-template]");
  var total = document.querySelector("input[name='act-TOTAL_FORMS']");
  var limit = document.querySelector("input[name='act-MAX_NUM_FORMS']");
  var announce = document.querySelector("[data-action-announce]");
  if (!button || !list || !template || !total) { return; }
  button.addEventListener("click", function (event) {
    var index = parseInt(total.value, 10) || 0;
    if (limit && index >= parseInt(limit.value, 10)) { return; }  // the server says so
    event.preventDefault();
    var markup = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    var holder = document.createElement("div");
    holder.innerHTML = markup.trim();
    var added = holder.firstElementChild;
    list.appendChild(added);
    total.value = String(index + 1);
    var first = added.querySelector("select, input:not([type='hidden']), textarea");
    if (first) { first.focus(); }
    if (announce) { announce.textContent = "Action " + (index + 1) + " added."; }
  });
});
