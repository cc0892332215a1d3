/* The case study index's filters (templates/casestudies/includes/filters.html): a disclosure,
   closed by default, so on phones the list comes first. Where the filters have a column of
   their own beside the list (the width in static/css/site.css, `.listing`), this script opens
   them, and opens or closes them again as the window crosses that width. */
(function () {
    "use strict";

    var wide = window.matchMedia("(min-width: 60rem)");

    function follow() {
        document.querySelectorAll("[data-case-filters]").forEach(function (details) {
            details.open = wide.matches;
        });
    }

    follow();
    wide.addEventListener("change", follow);
})();
