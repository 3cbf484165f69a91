// Atelier's progressive enhancements: infinite scroll over the "Older" links, the image lightbox,
// generation progress, and post actions (like, boost, delete) without a page reload.
// Every page works without this script; it only adds to what the HTML already does.
(() => {
  // Infinite scroll: when the "Older" link nears the viewport, fetch that page and append its items.
  function infiniteScroll() {
    const list = document.querySelector("[data-infinite]");
    let link = document.querySelector("a[data-next]");
    if (!list || !link || !("IntersectionObserver" in window)) return;
    let loading = false;
    const observer = new IntersectionObserver(
      async (entries) => {
        if (!entries.some((e) => e.isIntersecting) || loading || !link) return;
        loading = true;
        link.setAttribute("aria-busy", "true");
        try {
          const res = await fetch(link.href, {
            headers: { Accept: "text/html" },
            credentials: "same-origin",
          });
          if (!res.ok) throw new Error(String(res.status));
          // The parsed page inherits this page's CSP, so its own nonced <style> would be reported as
          // a violation; only its items and next link are needed.
          const text = (await res.text()).replace(/<style[^>]*>[\s\S]*?<\/style>/gi, "");
          const doc = new DOMParser().parseFromString(text, "text/html");
          const more = doc.querySelector("[data-infinite]");
          let first = null;
          if (more) {
            for (const item of Array.from(more.children)) {
              const ph = item.getAttribute("data-ph");
              const node = document.importNode(item, true);
              list.append(node);
              first ??= node;
              // Placeholders of appended tiles: the page's nonced <style> does not cover them, so
              // set them through the CSSOM, which the CSP allows, once the node is in this document
              // (a style set in the parsed document would arrive as a blocked style attribute).
              if (ph) node.style.background = ph;
              // Its share of a row (the justified gallery's --ar), by the same route.
              const ar = item.getAttribute("data-ar");
              if (ar) node.style.setProperty("--ar", ar);
            }
          }
          const next = doc.querySelector("a[data-next]");
          if (next) {
            link.href = next.href;
            link.removeAttribute("aria-busy");
          } else {
            observer.disconnect();
            // A keyboard user on the link that goes away continues at the first item it brought.
            const hadFocus = document.activeElement === link;
            link.closest("nav")?.remove();
            link = null;
            if (hadFocus) first?.querySelector("a, button")?.focus();
          }
        } catch {
          // Leave the link: the visitor can still follow it by hand.
          observer.disconnect();
          link.removeAttribute("aria-busy");
        } finally {
          loading = false;
        }
      },
      { rootMargin: "800px 0px" },
    );
    observer.observe(link);
  }

  // A modal dialog makes the page behind it inert, but Tab from its last control (or Shift+Tab from its
  // first) still leaves it for the browser's toolbar; this wraps around inside the dialog instead.
  function keepFocusIn(dialog, event) {
    const controls = Array.from(
      dialog.querySelectorAll("a[href], button:not([disabled]), input, [tabindex='0']"),
    ).filter((el) => el.getClientRects().length > 0);
    if (controls.length === 0) return;
    const first = controls[0];
    const last = controls[controls.length - 1];
    const inside = dialog.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  }

  // Lightbox: a modal <dialog> (focus stays inside, Escape closes) with arrow-key navigation.
  function lightbox() {
    const dialog = document.getElementById("lightbox");
    const openers = Array.from(document.querySelectorAll("a.lightbox-open"));
    if (!dialog || openers.length === 0 || typeof dialog.showModal !== "function") return;
    const img = dialog.querySelector("img");
    const caption = dialog.querySelector("figcaption");
    const position = dialog.querySelector(".lightbox-position");
    const prompt = dialog.querySelector(".lightbox-prompt");
    const promptText = dialog.querySelector(".lightbox-prompt-text");
    let index = 0;
    let opener = null;
    dialog.classList.toggle("single", openers.length === 1);
    const show = (i) => {
      index = (i + openers.length) % openers.length;
      const a = openers[index];
      img.src = a.dataset.full || a.href;
      img.alt = a.dataset.alt || "";
      caption.textContent = a.dataset.alt || "";
      if (prompt && promptText) {
        promptText.textContent = a.dataset.prompt || "";
        prompt.hidden = !a.dataset.prompt;
      }
      position.textContent = `${index + 1} / ${openers.length}`;
    };
    openers.forEach((a, i) => {
      a.addEventListener("click", (event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        opener = a;
        show(i);
        dialog.showModal();
        dialog.querySelector("[data-lightbox-close]").focus();
      });
    });
    dialog.querySelector("[data-lightbox-close]").addEventListener("click", () => dialog.close());
    dialog.querySelector("[data-lightbox-prev]").addEventListener("click", () => show(index - 1));
    dialog.querySelector("[data-lightbox-next]").addEventListener("click", () => show(index + 1));
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "ArrowLeft") show(index - 1);
      else if (event.key === "ArrowRight") show(index + 1);
      else if (event.key === "Tab") keepFocusIn(dialog, event);
    });
    // A click on the dark backdrop (outside the image and the controls) closes it.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog || event.target.tagName === "FIGURE") dialog.close();
    });
    dialog.addEventListener("close", () => opener?.focus());
  }

  // Generation progress: poll the job's JSON and reload into the result page once it is done.
  function jobProgress() {
    const box = document.querySelector("[data-job-poll]");
    if (!box) return;
    const url = box.getAttribute("data-job-poll");
    const label = box.querySelector("[data-job-state]");
    const tick = async () => {
      try {
        const res = await fetch(url, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (res.ok) {
          const job = await res.json();
          if (job.state !== "queued" && job.state !== "running") {
            window.location.reload();
            return;
          }
          if (label)
            label.textContent =
              job.state === "queued" ? "Waiting for a free generator…" : "Making your image…";
        }
      } catch {
        // A passing network error: try again on the next tick.
      }
      setTimeout(tick, 700);
    };
    setTimeout(tick, 300);
  }

  // Like and boost toggles, and deleting from a list, without reloading the page: the same forms are
  // sent with fetch (the server answers JSON when asked), then every button of that post is updated.
  // Forms that destroy something ask first. Without JavaScript the forms post and redirect back.
  function updateToggles(state) {
    for (const button of document.querySelectorAll("button[data-toggle]")) {
      if (!(button.getAttribute("formaction") || "").startsWith(`/statuses/${state.id}/`)) continue;
      const kind = button.getAttribute("data-toggle");
      const pressed = kind === "favourite" ? state.favourited : state.reblogged;
      const count = kind === "favourite" ? state.favouritesCount : state.reblogsCount;
      button.setAttribute("formaction", `/statuses/${state.id}/${pressed ? `un${kind}` : kind}`);
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      const counter = button.querySelector(".count");
      if (counter) counter.textContent = String(count);
    }
  }

  function removeCard(form) {
    const card = form.closest("article.status, li.tile");
    if (!card) return;
    // Keep keyboard users in place: focus moves to the next (or previous) post, else to the main area.
    const next = card.nextElementSibling || card.previousElementSibling;
    card.remove();
    const target = next?.querySelector("a, button") || document.getElementById("main");
    target?.focus();
  }

  async function sendAction(form, button) {
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    button.setAttribute("aria-busy", "true");
    const url = button.getAttribute("formaction");
    try {
      const res = await fetch(url, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!res.ok) throw new Error(String(res.status));
      const state = await res.json();
      if (state.deleted) removeCard(form);
      else updateToggles(state);
    } catch {
      // Let the plain form do it (submit() ignores the button's formaction, so set it on the form):
      // the server's page then says what went wrong.
      form.setAttribute("action", url);
      form.submit();
    } finally {
      delete form.dataset.busy;
      button.removeAttribute("aria-busy");
    }
  }

  function forms() {
    // Delegated, so cards added by infinite scroll work too.
    document.addEventListener("submit", (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      const button = event.submitter;
      const question = button?.getAttribute("data-confirm") || form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        return;
      }
      if (button && (button.hasAttribute("data-toggle") || button.hasAttribute("data-remove"))) {
        event.preventDefault();
        sendAction(form, button);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    forms();
    jobProgress();
    infiniteScroll();
    lightbox();
  });
})();
