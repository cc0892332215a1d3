/* Suggestions as you type in the search forms (templates/includes/search_form.html,
   templates/search/search.html): each input with data-autocomplete becomes a WAI-ARIA 1.2
   combobox over the autocomplete endpoint (search/views.py), a list of matching titles.
   Without this script the input is a plain search box of a working form.

   data-autocomplete: the endpoint in the page's language (/<lang>/search/autocomplete/);
   data-autocomplete-label: the list's accessible name;
   data-autocomplete-counts: JSON list, what the live region says for 0, 1, 2… suggestions,
   translated by Django (the plural forms of every language, no rule needed here).

   Keys: Down/Up move through the suggestions (opening the list), Enter on a suggestion goes to
   its page (else the form is sent: a search), Escape closes the list, then clears the input as
   a search box does. A click or tap on a suggestion goes to its page. */
(function () {
    "use strict";

    var DELAY = 200; // ms after the last keystroke before asking
    var MIN_LENGTH = 2; // the endpoint answers from two characters of a word

    function setUp(input, index) {
        if (input.getAttribute("role") === "combobox") return; // set up already
        var field = input.parentNode;
        var form = input.form;
        var counts = [];
        try {
            counts = JSON.parse(input.getAttribute("data-autocomplete-counts") || "[]");
        } catch (error) {
            counts = [];
        }
        var listId = (input.id || "search-" + index) + "-suggestions";

        var list = document.createElement("ul");
        list.id = listId;
        list.className = "autocomplete";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", input.getAttribute("data-autocomplete-label") || "");
        list.hidden = true;
        field.classList.add("search-form__field--autocomplete");
        field.appendChild(list);

        // Present from the start, so that assistive technologies hear what changes in it.
        var status = document.createElement("div");
        status.className = "visually-hidden";
        status.setAttribute("role", "status");
        (form || field).appendChild(status);

        // A combobox is a text input (ARIA in HTML, as the Nu Html Checker applies it: not
        // type=search); the form's own markup keeps type=search where no script runs.
        input.type = "text";
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listId);

        var options = [];
        var active = -1;
        var timer = null;
        var controller = null;
        var asked = ""; // the text the shown suggestions are for

        function announce(count) {
            if (!counts.length) return;
            status.textContent = counts[Math.min(count, counts.length - 1)];
        }

        function setActive(position) {
            if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
            active = position;
            if (active >= 0 && options[active]) {
                options[active].setAttribute("aria-selected", "true");
                input.setAttribute("aria-activedescendant", options[active].id);
                if (options[active].scrollIntoView) options[active].scrollIntoView({ block: "nearest" });
            } else {
                input.removeAttribute("aria-activedescendant");
            }
        }

        function open() {
            if (!options.length) return;
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
        }

        function close() {
            setActive(-1);
            list.hidden = true;
            input.setAttribute("aria-expanded", "false");
        }

        function isOpen() {
            return !list.hidden;
        }

        function cancel() {
            if (timer) window.clearTimeout(timer);
            timer = null;
            if (controller) controller.abort();
            controller = null;
        }

        function show(results) {
            close();
            list.textContent = "";
            options = results.map(function (result, position) {
                var option = document.createElement("li");
                option.id = listId + "-" + position;
                option.className = "autocomplete__option";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                option.setAttribute("data-url", result.url);
                option.textContent = result.title;
                list.appendChild(option);
                return option;
            });
            announce(options.length);
            open();
        }

        function ask(text) {
            cancel();
            controller = typeof AbortController === "function" ? new AbortController() : null;
            var current = controller;
            var url = input.getAttribute("data-autocomplete") + "?q=" + encodeURIComponent(text);
            window
                .fetch(url, {
                    headers: { Accept: "application/json" },
                    credentials: "same-origin",
                    signal: current ? current.signal : undefined,
                })
                .then(function (response) {
                    return response.ok ? response.json() : { results: [] };
                })
                .then(function (data) {
                    // An answer to an earlier text (where requests cannot be aborted) is dropped.
                    if (current !== controller || input.value.trim() !== text) return;
                    controller = null;
                    asked = text;
                    show(Array.isArray(data.results) ? data.results : []);
                })
                .catch(function () {
                    /* aborted, or offline: the form still searches */
                });
        }

        function typed() {
            var text = input.value.trim();
            if (text === asked && options.length) {
                open();
                return;
            }
            cancel();
            if (text.length < MIN_LENGTH) {
                asked = "";
                options = [];
                list.textContent = "";
                close();
                return;
            }
            timer = window.setTimeout(function () {
                timer = null;
                ask(text);
            }, DELAY);
        }

        function go(option) {
            var url = option && option.getAttribute("data-url");
            if (!url) return;
            close();
            window.location.assign(url);
        }

        input.addEventListener("input", typed);

        input.addEventListener("keydown", function (event) {
            if (event.altKey && event.key === "ArrowDown") {
                open();
                event.preventDefault();
                return;
            }
            switch (event.key) {
                case "ArrowDown":
                    if (!options.length) return;
                    event.preventDefault();
                    open();
                    setActive(active + 1 < options.length ? active + 1 : 0);
                    break;
                case "ArrowUp":
                    if (!options.length) return;
                    event.preventDefault();
                    open();
                    setActive(active > 0 ? active - 1 : options.length - 1);
                    break;
                case "Enter":
                    if (isOpen() && active >= 0) {
                        event.preventDefault();
                        go(options[active]);
                    } else {
                        cancel();
                        close();
                    }
                    break;
                case "Escape":
                    if (isOpen()) {
                        event.preventDefault();
                        // Handled: the header's script (header.js) must not close the menu too.
                        event.stopPropagation();
                        close();
                    } else if (input.value) {
                        // What a search box does on its own, which this text input is not.
                        event.preventDefault();
                        event.stopPropagation();
                        input.value = "";
                    }
                    break;
                case "Tab":
                    close();
                    break;
                default:
            }
        });

        // A press on a suggestion keeps the focus in the input; the click then follows it.
        list.addEventListener("mousedown", function (event) {
            event.preventDefault();
        });
        list.addEventListener("click", function (event) {
            var option = event.target.closest ? event.target.closest("[role=option]") : null;
            if (option) go(option);
        });
        list.addEventListener("mousemove", function (event) {
            var option = event.target.closest ? event.target.closest("[role=option]") : null;
            var position = options.indexOf(option);
            if (position >= 0 && position !== active) setActive(position);
        });

        input.addEventListener("blur", function () {
            cancel();
            close();
        });
        input.addEventListener("focus", function () {
            if (options.length && input.value.trim() === asked) open();
        });
        if (form) form.addEventListener("submit", cancel);
    }

    function start() {
        var inputs = document.querySelectorAll("input[data-autocomplete]");
        for (var i = 0; i < inputs.length; i++) setUp(inputs[i], i);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
