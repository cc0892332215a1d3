// A translation with nothing to submit offers "Submit for review" once the translator
// changes a string in the editor (translations/editor.py).
document.addEventListener("DOMContentLoaded", () => {
    const editor = document.querySelector(".translation-editor--reviewed .js-translation-editor");
    const submit = document.querySelector("form[data-shown-on-change]");
    if (!editor || !submit) return;
    editor.addEventListener(
        "input",
        () => {
            submit.hidden = false;
            document.querySelector(".translation-review-status")?.remove();
        },
        { once: true },
    );
});
