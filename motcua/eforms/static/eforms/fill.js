/* Optional: the e-form works without this script. It hides fields whose condition is false,
   copies a value picked from earlier answers into its box, and filters the wards of the
   province just chosen (the "Chọn" button does it without JavaScript). */
(function () {
  "use strict";
  var form = document.querySelector(".ef-form");
  if (!form) return;
  function currentValue(name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio" || input.type === "checkbox") { if (input.checked) return input.value; }
      else return input.value;
    }
    return "";
  }
  function applyConditions() {
    form.querySelectorAll("[data-when-field]").forEach(function (box) {
      box.hidden = currentValue(box.dataset.whenField) !== box.dataset.whenEquals;
      var note = box.querySelector(".ef-when");
      if (note) note.hidden = true;
    });
  }
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.dataset && target.dataset.pickFor && target.value) {
      document.getElementById(target.dataset.pickFor).value = target.value;
    }
    if (target.dataset && target.dataset.provinceFor) {
      var ward = form.querySelector('[data-ward-of="' + target.dataset.provinceFor + '"]');
      if (ward) {
        fetch(form.dataset.wardsUrl + "?tinh=" + encodeURIComponent(target.value))
          .then(function (response) { return response.json(); })
          .then(function (data) {
            ward.length = 1;
            data.wards.forEach(function (w) { ward.add(new Option(w[1], w[0])); });
          });
      }
    }
    applyConditions();
  });
  if (form.dataset.wardsUrl) {
    form.querySelectorAll(".ef-choose").forEach(function (button) { button.hidden = true; });
  }
  applyConditions();
})();
