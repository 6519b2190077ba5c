// Autosave for draft minutes: progressive enhancement only. Without this file the
// form is saved with its button, exactly the same way.
//
// Posts the section form to its autosave address every 30 seconds and whenever a
// field loses focus, if anything changed. The server refuses a save based on an
// older version (someone else changed the same section): then autosave stops and
// says so, and the user's "Save" shows both versions side by side. Nothing typed is
// ever taken out of the page.
const form = document.querySelector("form[data-autosave-url]");

if (form) {
  const url = form.dataset.autosaveUrl;
  const status = document.getElementById("autosave-status");
  const version = form.querySelector("input[name='version']");
  let changed = false;
  let saving = false;
  let again = false;
  let stopped = false;

  const say = (text) => {
    if (status) {
      status.textContent = text;
    }
  };

  const save = async () => {
    if (saving) {
      // Typed while the last save was on its way: save again when it is back.
      again = true;
      return;
    }
    if (!changed || stopped) {
      return;
    }
    saving = true;
    changed = false;
    try {
      const response = await fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      let body = {};
      try {
        body = await response.json();
      } catch (error) {
        body = {};
      }
      if (response.ok && body.saved) {
        if (version && body.version) {
          version.value = String(body.version);
        }
        say(`Draft saved automatically at ${body.saved_at}.`);
        if (again) {
          again = false;
          window.setTimeout(save, 0);
        }
      } else if (response.status === 409) {
        stopped = true;
        again = false;
        say(body.message || "Someone else has changed this section. Select “Save” to compare your changes with theirs.");
      } else {
        changed = true;
        say(body.message || "Not saved automatically. Your words are still here: select “Save”.");
      }
    } catch (error) {
      changed = true;
      say("Not saved automatically: check your connection. Your words are still here.");
    } finally {
      saving = false;
    }
  };

  form.addEventListener("input", () => {
    changed = true;
  });
  form.addEventListener("change", () => {
    changed = true;
  });
  form.addEventListener("focusout", () => {
    save();
  });
  window.setInterval(save, 30000);
}
