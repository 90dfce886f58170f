// ScopeKeeper's inbox keyboard shortcuts and the Trello return page. No inline script: the CSP forbids it.
(function () {
  "use strict";

  function comments() {
    return Array.prototype.slice.call(document.querySelectorAll("article.comment[data-comment]"));
  }

  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest("article.comment[data-comment]") : null;
  }

  function move(step) {
    var all = comments();
    if (!all.length) return;
    var index = all.indexOf(current());
    var next = all[Math.min(all.length - 1, Math.max(0, index < 0 ? 0 : index + step))];
    next.focus();
    next.scrollIntoView({block: "nearest"});
  }

  function press(key) {
    var article = current();
    if (!article) return false;
    var target = article.querySelector("[data-key='" + key + "']");
    if (!target) return false;
    target.click();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (event.key === "j") { move(1); event.preventDefault(); }
    else if (event.key === "k") { move(-1); event.preventDefault(); }
    else if ("aeru".indexOf(event.key) >= 0 && event.key.length === 1) {
      if (press(event.key)) event.preventDefault();
    }
  });

  // After htmx replaces a comment, keep the keyboard where it was: on that comment (in its editor, if any).
  // htmx:load fires on the new element (the replaced one is detached, its events reach no one).
  var returnTo = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var article = event.target.closest && event.target.closest("article.comment[data-comment]");
    returnTo = article ? article.id : null;
  });
  document.addEventListener("htmx:load", function (event) {
    var element = event.target;
    if (!returnTo || !element || element.id !== returnTo) return;
    var field = element.querySelector("textarea");
    // After htmx's own focus restoration (it refocuses an element of the same id).
    setTimeout(function () { (field || element).focus(); }, 0);
  });

  // The Trello authorize page returns here with the token in the URL's fragment, which never reaches a
  // server: hand it to ScopeKeeper by a same-origin POST, then wipe it from the address bar and history.
  var returning = document.getElementById("trello-return");
  if (returning) {
    var match = /(?:^|[#&])token=([^&]+)/.exec(window.location.hash);
    history.replaceState(null, "", window.location.pathname);
    var status = document.getElementById("trello-return-status");
    if (!match) {
      status.textContent = "Trello did not send a token back. Go to the Connect page and try again, or paste the token there.";
      return;
    }
    var body = new URLSearchParams();
    body.set("token", decodeURIComponent(match[1]));
    fetch("/connect/trello/token", {method: "POST", body: body, credentials: "same-origin"})
      .then(function (response) {
        if (response.ok) { window.location.replace("/connect?connected=trello"); return; }
        return response.text().then(function (text) { status.textContent = text; });
      })
      .catch(function () { status.textContent = "ScopeKeeper could not be reached. Is it still running?"; });
  }
})();
