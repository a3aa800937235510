// Glossary popups. sphinx-tippy attaches a popup with the glossary's definition to every
// term link (a.dlnotes-term, see _ext/term_links.py) once the page has loaded; this file sets
// how they behave: shown on hover and on keyboard focus, in the book's colours (the "dlnotes"
// theme in dlnotes.css), and on a phone the first tap on a term shows the definition instead
// of leaving the page (a second tap follows the link to the glossary).
document.addEventListener("DOMContentLoaded", () => {
  if (!window.tippy) return;
  window.tippy.setDefaultProps({
    trigger: "mouseenter focus",
    touch: true,
    theme: "dlnotes",
    maxWidth: 420,
    aria: { content: "describedby", expanded: false },
    // a definition's formulas, typeset when it is shown (where the page loads MathJax)
    onShow: (instance) => void window.MathJax?.typesetPromise?.([instance.popper]),
  });
  const termOf = (event) => event.target.closest?.("a.dlnotes-term");
  let tap = null; // the term a finger went down on, and whether its popup was open then
  document.addEventListener(
    "pointerdown",
    (event) => {
      const link = termOf(event);
      tap = link && event.pointerType !== "mouse"
        ? { link, wasOpen: !!link._tippy?.state.isVisible }
        : null;
    },
    true,
  );
  document.addEventListener("click", (event) => {
    const link = termOf(event);
    if (!link || !link._tippy || !tap || tap.link !== link || tap.wasOpen) return;
    event.preventDefault();
    link._tippy.show();
  });
});
