/* The header's disclosures (templates/base.html): the language picker and the menu toggle work
   without this script; with it, Escape closes them (focus back on their toggle), and the
   language picker closes when focus or a click goes elsewhere. */
(function () {
    "use strict";

    function openDisclosures() {
        return document.querySelectorAll(".site-header details[open]");
    }

    document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape") return;
        openDisclosures().forEach(function (details) {
            var summary = details.querySelector("summary");
            var controlled = document.getElementById(summary.getAttribute("aria-controls"));
            var focused = document.activeElement;
            details.open = false;
            if (details.contains(focused) || (controlled && controlled.contains(focused))) {
                summary.focus();
            }
        });
    });

    function closeLanguagePicker(outside) {
        document.querySelectorAll("[data-language-switcher][open]").forEach(function (details) {
            if (outside && !details.contains(outside)) details.open = false;
        });
    }

    document.addEventListener("focusin", function (event) {
        closeLanguagePicker(event.target);
    });
    document.addEventListener("click", function (event) {
        closeLanguagePicker(event.target);
    });
})();
