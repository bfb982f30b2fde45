// The pages' one script: uploads a notebook to the API, reloads when a pending submission changes
// state, and posts the instructor's section buttons and extensions. The buttons it drives come disabled and are
// enabled here, once their handlers are attached: a click before the script has run would do nothing. Requests carry the page header that the
// service requires of cookie-signed changes; every text shown is set as text, never as HTML.
"use strict";
const PAGE = { "X-Course-Page": "1" };

async function problemOf(response) {
  try {
    const body = await response.json();
    if (body && typeof body.error === "string") return body.error;
  } catch {
    // not JSON: fall through
  }
  return `the service answered ${response.status}`;
}

const upload = document.getElementById("upload");
if (upload) {
  // A notebook named as the course names them (05-mnist.ipynb) picks its section; the service also
  // refuses a notebook whose checker cell names another section than the one chosen.
  upload.elements.notebook.addEventListener("change", () => {
    const name = upload.elements.notebook.files[0]?.name ?? "";
    const option = [...upload.elements.section.options].find(
      (o) => !o.disabled && name.startsWith(o.value.slice(0, 3)),
    );
    if (option) upload.elements.section.value = option.value;
  });
  upload.querySelector("button[type=submit]").disabled = false;
  upload.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = document.getElementById("upload-status");
    const file = upload.elements.notebook.files[0];
    const section = upload.elements.section.value;
    if (!file) return;
    status.textContent = `Sending ${file.name}…`;
    try {
      const query = new URLSearchParams({ section, file: file.name });
      const response = await fetch(`/api/submissions?${query}`, {
        method: "POST",
        headers: { ...PAGE, "Content-Type": "application/x-ipynb+json" },
        body: await file.arrayBuffer(),
        credentials: "same-origin",
      });
      if (response.status !== 202) {
        status.textContent = `Not submitted: ${await problemOf(response)}`;
        return;
      }
      location.reload();
    } catch (e) {
      status.textContent = `Not submitted: the service cannot be reached (${e.message})`;
    }
  });
}

// Pending submissions: poll each until its state changes, then show the page again.
for (const el of document.querySelectorAll("[data-pending]")) {
  const id = el.getAttribute("data-pending");
  const was = el.getAttribute("data-state");
  const poll = async () => {
    try {
      const response = await fetch(`/api/submissions/${encodeURIComponent(id)}`, { credentials: "same-origin" });
      if (response.ok) {
        const s = await response.json();
        if (s.state !== was) return location.reload();
        const summary = el.querySelector(".state");
        if (summary && s.state === "queued" && typeof s.ahead === "number")
          summary.textContent = `queued (${s.ahead} ahead)`;
      }
    } catch {
      // the service restarting: keep polling
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
}

for (const button of document.querySelectorAll("button[data-section]")) {
  button.addEventListener("click", async () => {
    const section = button.getAttribute("data-section");
    const action = button.getAttribute("data-action");
    const response = await fetch(`/api/sections/${encodeURIComponent(section)}/${action}`, {
      method: "POST",
      headers: PAGE,
      credentials: "same-origin",
    });
    if (response.ok) location.reload();
    else button.textContent = await problemOf(response);
  });
  button.disabled = false;
}

// The instructor's extension for one learner: posted as JSON; the page shows the recomputed standing.
const extend = document.getElementById("extend");
if (extend) {
  extend.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = document.getElementById("extend-status");
    const learner = extend.getAttribute("data-learner");
    const body = JSON.stringify({ section: extend.elements.section.value, until: extend.elements.until.value.trim() });
    const response = await fetch(`/api/learners/${encodeURIComponent(learner)}/extensions`, {
      method: "POST",
      headers: { ...PAGE, "Content-Type": "application/json" },
      body,
      credentials: "same-origin",
    });
    if (response.ok) location.reload();
    else status.textContent = `Not given: ${await problemOf(response)}`;
  });
  extend.querySelector("button[type=submit]").disabled = false;
}
