// Enhancements only: every page works without this file.
document.documentElement.classList.add("js");

// « MENU » folds the left menu away (phones start folded).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("menu-principal");
  if (!toggle || !menu) return;
  toggle.hidden = false;
  const narrow = window.matchMedia("(max-width: 48rem)");
  const set = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("menu-closed", !open);
  };
  set(!narrow.matches);
  toggle.addEventListener("click", () => set(toggle.getAttribute("aria-expanded") !== "true"));
});

// « Nouveau message »: people suggested as a name is typed. Each suggestion
// is the same « Ajouter » button the search without JavaScript shows, so the
// server adds the person (and checks that the sender may write to them).
document.addEventListener("DOMContentLoaded", () => {
  const field = document.querySelector("input[data-suggestions]");
  const box = document.getElementById("suggestions");
  if (!field || !box) return;
  let timer = null;
  let asked = "";
  const show = (people) => {
    box.replaceChildren();
    if (people.length === 0) return;
    const list = document.createElement("ul");
    list.className = "mail-found";
    list.setAttribute("aria-label", "Suggestions");
    for (const person of people) {
      const item = document.createElement("li");
      item.append(person.name + " ");
      const add = document.createElement("button");
      add.type = "submit";
      add.name = "ajouter";
      add.value = person.id;
      add.className = "secondary";
      add.textContent = "Ajouter";
      add.setAttribute("aria-label", "Ajouter " + person.name);
      item.append(add);
      list.append(item);
    }
    box.append(list);
  };
  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const words = field.value.trim();
      if (words === asked) return;
      asked = words;
      if (words.length < 2) return show([]);
      try {
        const response = await fetch(field.dataset.suggestions + "?q=" + encodeURIComponent(words), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (response.ok && words === asked) show(await response.json());
      } catch {
        // The « Rechercher » button still works.
      }
    }, 200);
  });
});

// Rich text: a small editor over the textarea (bold, italic, lists, links,
// quotations). It sends HTML (format=html), which the server sanitizes;
// without JavaScript the textarea sends plain text.
document.addEventListener("DOMContentLoaded", () => {
  for (const area of document.querySelectorAll("textarea[data-rich-text]")) {
    const form = area.form;
    const format = form && form.querySelector("input[data-rich-format]");
    if (!form || !format) continue;
    const label = form.querySelector(`label[for="${area.id}"]`);
    const editor = document.createElement("div");
    editor.className = "rich-text-editor rich-text";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    if (label) {
      label.id = label.id || area.id + "-label";
      editor.setAttribute("aria-labelledby", label.id);
      label.removeAttribute("for"); // the hidden textarea keeps no name: the editor is « Message »
      label.addEventListener("click", () => editor.focus());
    }
    editor.innerHTML = area.dataset.richText || "";
    const toolbar = document.createElement("div");
    toolbar.className = "rich-text-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Mise en forme");
    const tools = [
      ["Gras", "bold"],
      ["Italique", "italic"],
      ["Souligné", "underline"],
      ["Liste à puces", "insertUnorderedList"],
      ["Liste numérotée", "insertOrderedList"],
      ["Citation", "formatBlock", "blockquote"],
      ["Lien", "createLink"],
    ];
    for (const [name, command, value] of tools) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = name;
      button.addEventListener("click", () => {
        editor.focus();
        if (command === "createLink") {
          const url = window.prompt("Adresse du lien (https://…)", "https://");
          if (url && /^(https?:|mailto:)/i.test(url.trim())) document.execCommand("createLink", false, url.trim());
          return;
        }
        document.execCommand(command, false, value);
      });
      toolbar.append(button);
    }
    area.hidden = true;
    area.before(toolbar, editor);
    format.value = "html";
    form.addEventListener("submit", () => {
      area.value = editor.innerHTML;
    });
  }
});

// ---------- The agenda of a class space (services/class_space/agenda.cpp) ----------
// « Toute la journée » greys out the hours (the server ignores them anyway);
// the subscription link gets a « Copier le lien » button.
document.addEventListener("DOMContentLoaded", () => {
  const allDay = document.getElementById("journee");
  if (allDay && allDay.form && allDay.form.querySelector("#debut_heure")) {
    const hours = [allDay.form.querySelector("#debut_heure"), allDay.form.querySelector("#fin_heure")];
    const update = () => {
      for (const input of hours) if (input) input.disabled = allDay.checked;
    };
    allDay.addEventListener("change", update);
    update();
  }
  const link = document.getElementById("lien-abonnement");
  if (link && navigator.clipboard) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = "Copier le lien";
    const status = document.createElement("span");
    status.setAttribute("role", "status");
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(link.value);
        status.textContent = " Lien copié.";
      } catch {
        link.select();
        status.textContent = " Sélectionnez le lien et copiez-le (Ctrl+C).";
      }
    });
    link.after(" ", button, status);
  }
});

// ---------------------------------------------------------------------------
// Chat of a class space (« Chat » tab): the page works with its plain form;
// here a WebSocket brings the others' messages and who is online as they
// come, and the form sends through it while it is open (falling back to the
// ordinary POST when it is not).
document.addEventListener("DOMContentLoaded", () => {
  const chat = document.querySelector("[data-chat-socket]");
  if (!chat || !("WebSocket" in window)) return;
  const list = chat.querySelector("[data-chat-messages]");
  const presence = chat.querySelector("[data-chat-presence]");
  const status = chat.querySelector("[data-chat-status]");
  const form = chat.querySelector("[data-chat-form]");
  const error = chat.querySelector("[data-chat-error]");
  const area = form && form.querySelector("textarea");
  let socket = null;
  let retries = 0;
  let unsent = ""; // the last text sent, given back if the server refuses it

  const showStatus = (text) => {
    status.textContent = text;
    status.hidden = !text;
  };
  const showError = (text) => {
    if (!error) return;
    error.textContent = text;
    error.hidden = !text;
  };
  const append = (message) => {
    if (document.getElementById(`message-${message.id}`)) return;
    const item = document.createElement("li");
    item.id = `message-${message.id}`;
    const meta = document.createElement("p");
    meta.className = "chat-meta";
    const author = document.createElement("strong");
    author.className = "chat-author";
    author.textContent = message.author;
    const time = document.createElement("span");
    time.className = "chat-time";
    time.textContent = message.time;
    meta.append(author, " ", time);
    const text = document.createElement("p");
    text.className = "chat-text";
    text.textContent = message.text;
    item.append(meta, text);
    list.append(item);
    chat.querySelector("[data-chat-empty]")?.remove();
    item.scrollIntoView({ block: "nearest" });
  };

  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}${chat.dataset.chatSocket}`);
    socket.addEventListener("open", () => {
      retries = 0;
      chat.dataset.chatLive = "1";
      showStatus("Connecté : les messages arrivent en direct.");
    });
    socket.addEventListener("message", (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      if (data.type === "message") {
        append(data);
        if (data.text === unsent) unsent = "";
      } else if (data.type === "presence") {
        presence.textContent = data.text;
      } else if (data.type === "error") {
        showError(data.message);
        if (area && !area.value) area.value = unsent;
      }
    });
    socket.addEventListener("close", () => {
      delete chat.dataset.chatLive;
      socket = null;
      showStatus("Connexion directe interrompue : le formulaire envoie toujours vos messages (rechargez la page pour voir les nouveaux).");
      if (retries < 5) setTimeout(connect, 2000 * ++retries);
    });
  };

  if (form && area) {
    form.addEventListener("submit", (event) => {
      if (!socket || socket.readyState !== WebSocket.OPEN) return; // the plain POST
      event.preventDefault();
      const text = area.value.trim();
      if (!text) {
        showError("Écrivez un message avant de l'envoyer.");
        return;
      }
      showError("");
      socket.send(JSON.stringify({ text }));
      unsent = text;
      area.value = "";
      area.focus();
    });
  }
  connect();
});

// « Dossiers partagés » (services/class_space): the upload form sends its
// files with XMLHttpRequest to show how far the upload has gone in its
// <progress>; without JavaScript the form posts as usual.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-upload-progress]")) {
    form.addEventListener("submit", (event) => {
      if (!window.FormData || !window.XMLHttpRequest) return;
      event.preventDefault();
      const holder = form.querySelector(".upload-progress");
      const bar = form.querySelector("progress");
      const percent = form.querySelector(".upload-percent");
      const button = form.querySelector("button[type=submit]");
      holder.hidden = false;
      button.disabled = true;
      const show = (value) => {
        bar.value = value;
        bar.textContent = value + " %";
        percent.textContent = value + " %";
      };
      show(0);
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.addEventListener("progress", (progress) => {
        if (progress.lengthComputable) show(Math.round((progress.loaded / progress.total) * 100));
      });
      request.addEventListener("load", () => {
        if (request.status < 400 && request.responseURL) {
          show(100);
          window.location.assign(request.responseURL);
          return;
        }
        // A refusal (quota, no file…): its page, with the message on the form.
        const page = new DOMParser().parseFromString(request.responseText, "text/html");
        document.title = page.title;
        document.body.replaceWith(page.body);
      });
      request.addEventListener("error", () => {
        button.disabled = false;
        percent.textContent = "L'envoi a échoué : vérifiez la connexion puis réessayez.";
      });
      request.send(new FormData(form));
    });
  }
});

// ---------- Cahier de textes: « Imprimer » opens the browser's print window
// (services/lesson_book/templates/print_book.mustache; without JavaScript,
// the browser's own Ctrl+P does the same). ----------
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-lesson-book-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});

// ---------- Évaluations: the grid of marks (services/assessments/templates/grades_grid.mustache).
// Enter moves to the next student's input (Tab works natively); a column pasted
// from a spreadsheet (several lines) into one input fills it and the following
// rows. Without JavaScript the page is a plain form. ----------
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("[data-grades-grid]")) {
    const cells = Array.from(form.querySelectorAll("[data-grade-cell]"));
    cells.forEach((cell, index) => {
      cell.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return;
        event.preventDefault();
        const next = cells[index + 1];
        if (next) {
          next.focus();
          next.select();
        } else {
          form.querySelector("button[type=submit]")?.focus();
        }
      });
      cell.addEventListener("paste", (event) => {
        const text = event.clipboardData ? event.clipboardData.getData("text") : "";
        const lines = text.replace(/\r/g, "").replace(/\n+$/, "").split("\n");
        if (lines.length < 2) return;
        event.preventDefault();
        lines.forEach((line, offset) => {
          const target = cells[index + offset];
          if (target) target.value = line.split("\t")[0].trim();
        });
        const last = cells[Math.min(index + lines.length - 1, cells.length - 1)];
        last.focus();
      });
    });
  }
});

// ---------- Vie scolaire: the desk's day (absences, calls not taken,
// thresholds, incidents) read again every 30 seconds
// (services/attendance/templates/desk.mustache; without JavaScript, the
// « Actualiser » link does the same). ----------
document.addEventListener("DOMContentLoaded", () => {
  const live = document.querySelector("[data-desk-refresh]");
  if (!live) return;
  const url = live.getAttribute("data-desk-refresh");
  window.setInterval(async () => {
    if (document.hidden) return;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-desk-refresh]");
      if (fresh && !live.contains(document.activeElement)) live.replaceChildren(...fresh.childNodes);
    } catch (error) {
      // Offline for a moment: the next round tries again.
    }
  }, 30000);
});
