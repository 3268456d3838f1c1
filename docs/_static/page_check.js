// Opened with ?check in its address, a page reports what a reader would see broken, in a <pre id="bk-check">
// the site's browser test reads from the rendered page (tests/site/test_site_browser.py): images that did not
// load, error outputs, docutils error messages, the scorecard's rows, and whether each folded answer is hidden
// until its fold is opened.
window.addEventListener("load", function () {
  if (!window.location.search.includes("check")) { return; }
  var visible = function (el) { return el.checkVisibility() && el.getClientRects().length > 0; };
  var images = Array.from(document.querySelectorAll("article img"));
  var broken = images.filter(function (im) { return !im.complete || im.naturalWidth === 0; })
                     .map(function (im) { return (im.getAttribute("src") || "").slice(0, 80); });
  var errors = Array.from(document.querySelectorAll(".output.traceback, .output.error, pre"))
                    .filter(function (el) {
                      return el.matches(".output.traceback, .output.error")
                        || el.textContent.includes("Traceback (most recent call last)"); });
  var answers = Array.from(document.querySelectorAll(".cell.tag_answer")).map(function (cell) {
    var fold = cell.querySelector("details");
    var content = fold ? Array.from(fold.children).filter(function (el) { return el.tagName !== "SUMMARY"; })
                       : [];
    if (content.length === 0) { return {folded: false}; }
    var report = {folded: true, open: fold.open, parts: content.length,
                  hidden: !content.some(visible)};
    fold.open = true;
    report.shown_when_opened = content.every(visible);
    fold.open = false;
    return report;
  });
  var report = {images: images.length, broken: broken, errors: errors.length,
                system_messages: document.querySelectorAll(".system-message, .problematic").length,
                scorecard_rows: document.querySelectorAll("table.scorecard tbody tr").length,
                answers: answers, title: document.title};
  var out = document.createElement("pre");
  out.id = "bk-check";
  out.textContent = JSON.stringify(report);
  document.body.appendChild(out);
});
