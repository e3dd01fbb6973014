// A choice that reveals the fields it needs: the block after a radio group marked
// data-reveal-control="NAME" is hidden while the value in data-reveal-hidden-when is
// chosen. Without this script every field shows, with a hint saying when to fill it in;
// the server ignores the hidden fields either way.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-reveal-control]").forEach(function (control) {
    var name = control.getAttribute("data-reveal-control");
    var hiddenWhen = control.getAttribute("data-reveal-hidden-when");
    var block = control.nextElementSibling;
    while (block && !block.hasAttribute("data-reveal-block")) { block = block.nextElementSibling; }
    if (!block) { return; }
    var radios = control.querySelectorAll("input[type='radio'][name='" + name + "']");
    var hint = block.querySelector("[data-reveal-hint]");
    if (hint) { hint.hidden = true; }
    radios.forEach(function (radio) { radio.setAttribute("aria-controls", block.id); });
    function update() {
      var chosen = control.querySelector("input[type='radio'][name='" + name + "']:checked");
      var hide = !chosen || chosen.value === hiddenWhen;
      block.hidden = hide;
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });
});
