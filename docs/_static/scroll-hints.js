// Boxes that scroll sideways say so. A formula, table or code block wider than the column
// scrolls inside its own box, and a touch screen shows no scroll bar: such a box gets the
// class dlnotes-scrolls, plus dlnotes-more-left / dlnotes-more-right while something is
// hidden on that side (dlnotes.css fades that edge). Marked again on scroll and on resize,
// and once MathJax has typeset the formulas.
(() => {
  const BOXES = "mjx-container[display='true'], .pst-scrollable-table-container, div.highlight pre";
  const mark = (box) => {
    const hidden = box.scrollWidth - box.clientWidth;
    const scrolls = hidden > 1;
    box.classList.toggle("dlnotes-scrolls", scrolls);
    box.classList.toggle("dlnotes-more-left", scrolls && box.scrollLeft > 1);
    box.classList.toggle("dlnotes-more-right", scrolls && box.scrollLeft < hidden - 1);
  };
  const markAll = () => document.querySelectorAll(BOXES).forEach(mark);
  document.addEventListener(
    "scroll",
    (event) => event.target instanceof Element && event.target.matches(BOXES) && mark(event.target),
    true,
  );
  window.addEventListener("resize", markAll);
  window.addEventListener("load", () => {
    markAll();
    window.MathJax?.startup?.promise?.then(markAll);
  });
})();
